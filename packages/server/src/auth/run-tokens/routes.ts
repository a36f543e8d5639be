import { routes } from "@baton/core";
import type { RouteContext } from "../../http/context.js";
import { mountRoute } from "../../http/mount.js";
import { issueRunToken, registerRunTokenKey } from "./issue.js";

/**
 * POST /flow_runs/:id/token (permission `work`): a worker that claimed a run asks for the run's
 * own credential and gives it to the run instead of its key. `secretKey` is the server's secrets
 * key (createApp's); tokens are signed with a key derived from it.
 */
export function runTokenRoutes({ app, database }: RouteContext, secretKey: () => Buffer): void {
  registerRunTokenKey(database, secretKey);
  mountRoute(app, routes.createRunToken, ({ params, request }) => issueRunToken(database, params.id, { secretKey, principal: request.principal }));
}
