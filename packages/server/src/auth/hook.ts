import { rolesAllowing, roleAllows, type Permission } from "@baton/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { NOT_AUDITED, describeObject } from "./audit/describe.js";
import { recordAudit } from "./audit/repository.js";
import { BadCredential, HOW_TO_AUTHENTICATE, createAuthenticator, type Authenticator } from "./authenticate.js";
import { Forbidden, Unauthorized } from "./errors.js";
import { enforceKeyLimits, filterListForKey, isLimited } from "./key-limits.js";
import { ANONYMOUS, PUBLIC, principalName, principalRole, type Principal } from "./principal.js";
import { createFailureLimiter, failureBucket, refuseIfOverLimit, type FailureLimiter, type FailureLimiterOptions } from "./rate-limit.js";
import { authorizeRunScope, registerRunTokenTtl } from "./run-tokens/index.js";

export interface AuthOptions {
  /** Check credentials (default). Off only for `baton dev` and the in-process client: everyone acts as admin. */
  enabled: boolean;
  /** `user:password` accepted as HTTP basic, acting as admin (BATON_SERVER_API_AUTH_STRING). */
  apiAuthString?: string | undefined;
  /** Failed attempts per address and key prefix before failures answer 429 (default 10 a minute). */
  rateLimit?: FailureLimiterOptions;
  /** How long a run token lives, in seconds (default and maximum 24 h); runs renew theirs past half of it. */
  runTokenTtlSeconds?: number | undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function routeOf(request: FastifyRequest): { permission: Permission | undefined; routeName: string } {
  const config = request.routeOptions.config;
  return { permission: config.permission, routeName: config.routeName ?? `${request.method} ${request.routeOptions.url ?? request.url}` };
}

function describePrincipal(principal: Principal): string {
  if (principal.kind === "api_key") return `the API key "${principal.name}"`;
  if (principal.kind === "session") return `the session of the API key "${principal.name}"`;
  return principalName(principal);
}

function forbiddenRole(principal: Principal, routeName: string, permission: Permission): Forbidden {
  const allowed = rolesAllowing(permission);
  return new Forbidden(
    `Forbidden: ${routeName} needs the "${permission}" permission, which the role${allowed.length > 1 ? "s" : ""} ${allowed.join(", ")} ${allowed.length > 1 ? "have" : "has"}; ` +
      `${describePrincipal(principal)} has the role ${principalRole(principal) ?? "(none)"}. Use a key with one of those roles (an admin makes one with baton api-key create --role ${allowed[0] ?? "admin"})`,
  );
}

/**
 * Authentication and authorization for every route of the `/api` plugin it is installed in.
 * onRequest (before the body is read): who is calling, and does their role have the route's
 * permission; preHandler (body parsed): run-token scope and key limits, which look at what
 * the request targets; preSerialization: lists trimmed for limited keys; onSend: the audit log.
 */
export interface AuthRuntime {
  enabled: boolean;
  authenticator: Authenticator;
  limiter: FailureLimiter;
}

export function installAuth(api: FastifyInstance, database: BatonDatabase, options: AuthOptions): AuthRuntime {
  const authenticator = createAuthenticator(database, { apiAuthString: options.apiAuthString });
  const limiter = createFailureLimiter(options.rateLimit);
  registerRunTokenTtl(database, options.runTokenTtlSeconds);
  // Null until onRequest sets it (Fastify wants no shared object as a request decorator default).
  api.decorateRequest("principal", null as never);

  api.addHook("onRequest", async (request, reply) => {
    const { permission, routeName } = routeOf(request);
    if (!options.enabled) {
      request.principal = ANONYMOUS;
      return;
    }
    // Default deny: a route someone mounted without going through the table has no permission.
    if (permission === undefined) throw new Forbidden(`Forbidden: ${routeName} declares no permission, so nobody may use it; this is a bug in Baton (routes are mounted from the table in @baton/core)`);
    if (permission === "none") {
      request.principal = PUBLIC;
      return;
    }
    let principal: Principal | undefined;
    try {
      principal = await authenticator.authenticate(request);
    } catch (error) {
      // The credential is checked first, whatever the limiter says: a valid one is never refused,
      // so workers behind one NAT address are not locked out by a neighbour's wrong keys.
      if (error instanceof BadCredential) refuseIfOverLimit(limiter, failureBucket(request), reply);
      throw error;
    }
    if (!principal) throw new Unauthorized(`Unauthorized: ${request.method} /api${request.routeOptions.url?.replace(/^\/api/, "") ?? ""} needs a credential; ${HOW_TO_AUTHENTICATE}`);
    request.principal = principal;
    // A run token has no role: its scope (which routes, on which run) is checked in preHandler.
    if (principal.kind !== "run_token" && principal.kind !== "public" && !roleAllows(principal.role, permission)) throw forbiddenRole(principal, routeName, permission);
  });

  api.addHook("preHandler", async (request) => {
    if (!options.enabled) return;
    const { routeName, permission } = routeOf(request);
    if (permission === "none") return;
    const principal = request.principal;
    if (principal.kind === "run_token") await authorizeRunScope(database, principal, routeName, request);
    else if (isLimited(principal)) await enforceKeyLimits(database, principal, routeName, request);
  });

  api.addHook("preSerialization", async (request, _reply, payload) => {
    const principal = request.principal;
    return principal && isLimited(principal) ? filterListForKey(database, principal, routeOf(request).routeName, payload) : payload;
  });

  api.addHook("onSend", async (request, reply, payload) => {
    const { routeName } = routeOf(request);
    if (SAFE_METHODS.has(request.method) || reply.statusCode >= 400 || NOT_AUDITED.has(routeName)) return payload;
    const principal = request.principal ?? PUBLIC;
    try {
      await recordAudit(
        database.db,
        {
          actor: principalName(principal),
          role: principalRole(principal),
          action: routeName,
          object: describeObject(request.routeOptions.url ?? request.url, (request.params ?? {}) as Record<string, unknown>, request.body),
          status: reply.statusCode,
          address: request.ip ?? null,
        },
        new Date(),
      );
    } catch (error) {
      // The change is made; losing its audit line is bad, failing the answer to it would be worse.
      request.log.error({ err: error }, `could not write the audit log entry for ${routeName}`);
    }
    return payload;
  });
  return { enabled: options.enabled, authenticator, limiter };
}
