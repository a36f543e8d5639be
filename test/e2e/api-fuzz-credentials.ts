import { RoleSchema, roleAllows, type RouteDef, type RouteName } from "@baton/core";
import { RUN_TOKEN_SCOPE } from "@baton/server";

/**
 * The credentials the API fuzz sends besides the admin's: none, one API key per role, a key
 * limited to a pool the fuzz never names, and the run token of a run the fuzz never targets.
 * `refused` says whether the credential may not use the route at all: then the answer must be
 * exactly 401 (no credential) or 403 (a credential without the right), and nothing may change.
 */
export interface FuzzCredential {
  name: string;
  headers: Record<string, string>;
  refused(name: RouteName, route: RouteDef): boolean;
  /** The one status a refusal gets. */
  refusal: 401 | 403;
}

type Call = (method: string, url: string, body?: unknown) => Promise<any>;

/** Statuses Fastify answers from the request's shape (body, content type, size), before a run token's scope is checked in preHandler. */
export const SHAPE_ERRORS = new Set([400, 413, 415, 422]);

/** Makes the keys and the token through the API with the admin's `call`. Names start with "cred-", which the fuzz never targets. */
export async function fuzzCredentials(call: Call): Promise<FuzzCredential[]> {
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const out: FuzzCredential[] = [{ name: "no credential", headers: {}, refused: (_, route) => route.permission !== "none", refusal: 401 }];
  for (const role of RoleSchema.options) {
    const key = (await call("POST", "/api_keys", { name: `cred-${role}`, role })).key as string;
    out.push({ name: `${role} key`, headers: bearer(key), refused: (_, route) => !roleAllows(role, route.permission), refusal: 403 });
  }
  await call("POST", "/work_pools", { name: "cred-pool", type: "process" });
  const limited = (await call("POST", "/api_keys", { name: "cred-limited", role: "deployer", work_pools: ["cred-pool"] })).key as string;
  out.push({ name: "deployer key limited to another pool", headers: bearer(limited), refused: (_, route) => !roleAllows("deployer", route.permission), refusal: 403 });
  // A run token goes only to the worker holding the run's claim: the admin claims a run of its own pool.
  const deployment = (await call("POST", "/deployments", { flow_name: "cred-flow", name: "cred-deployment", entrypoint: "flows/cred.ts:credFlow", work_pool_name: "cred-pool" })).deployment.id as string;
  const otherRun = (await call("POST", `/deployments/${deployment}/runs`, {})).id as string;
  // The longest lease: the token stays valid (its claim held) while every credential is fuzzed.
  await call("POST", "/work_pools/cred-pool/claim", { worker_name: "cred-worker", limit: 1, lease_seconds: 3600 });
  const token = (await call("POST", `/flow_runs/${otherRun}/token`)).token as string;
  out.push({ name: "run token of another run", headers: bearer(token), refused: (name, route) => route.permission !== "none" && RUN_TOKEN_SCOPE[name] === undefined, refusal: 403 });
  return out;
}

/** The credentials' names, known before they are made (for one test each). */
export const CREDENTIAL_NAMES: readonly string[] = ["no credential", ...RoleSchema.options.map((role) => `${role} key`), "deployer key limited to another pool", "run token of another run"];
