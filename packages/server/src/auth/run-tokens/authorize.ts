import { isTerminal, routes, type RouteName } from "@baton/core";
import type { FastifyRequest } from "fastify";
import type { BatonDatabase } from "../../db/open.js";
import { Forbidden } from "../errors.js";
import type { RunTokenPrincipal } from "../principal.js";
import { AFTER_END_ROUTES, RUN_TOKEN_SCOPE } from "./allowed-routes.js";
import { runFacts } from "./run-lookup.js";

function outOfScope(principal: RunTokenPrincipal, routeName: string, why: string): Forbidden {
  return new Forbidden(
    `Forbidden: this credential can act only on flow run ${principal.flow_run_id} (a run token its worker gave it); ${why}. ` +
      `Use an API key (BATON_API_KEY=bat_...) with the right role for ${routeName}`,
  );
}

/**
 * Throws 403 unless a run token may use this route on what the request targets (see the table
 * RUN_TOKEN_SCOPE in allowed-routes.ts). Call it for every request made with a run token, in
 * preHandler: after Fastify has validated the body against the route's schema.
 */
export async function authorizeRunScope(database: BatonDatabase, principal: RunTokenPrincipal, routeName: string, request: FastifyRequest): Promise<void> {
  if (!Object.hasOwn(routes, routeName)) throw outOfScope(principal, routeName, `${routeName} is not a route of the API table`);
  const name = routeName as RouteName;
  const check = RUN_TOKEN_SCOPE[name];
  if (!check) throw outOfScope(principal, name, `a run may not use ${name}`);
  const run = await runFacts(database, principal.flow_run_id);
  if (!run) throw outOfScope(principal, name, "that flow run no longer exists");
  if (isTerminal(run.state_type) && !AFTER_END_ROUTES.has(name)) {
    throw outOfScope(principal, name, `the run has ended (${run.state_type}); its token may only send its last log lines`);
  }
  let allowed: boolean;
  try {
    // Fastify has validated params, query and body against the route's schemas by preHandler; read
    // them as they are rather than parse a 20 000-line report twice.
    allowed = await check({ database, rootId: principal.flow_run_id, params: request.params, query: request.query, body: request.body });
  } catch (error) {
    // A request not shaped as its route says cannot be checked, so it is not allowed.
    if (!(error instanceof TypeError)) throw error;
    allowed = false;
  }
  if (!allowed) throw outOfScope(principal, name, `${name} here targets something outside that run`);
}
