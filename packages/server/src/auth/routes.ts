import { NotFoundError, ROLE_PERMISSIONS, SESSION_COOKIE, routes, type WhoAmI } from "@baton/core";
import type { FastifyRequest } from "fastify";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys/repository.js";
import { listAudit } from "./audit/repository.js";
import { BadCredential, keyPrincipal } from "./authenticate.js";
import { failureBucket, refuseIfOverLimit } from "./rate-limit.js";
import type { AuthRuntime } from "./hook.js";
import { principalName, principalRole, type Principal } from "./principal.js";
import { sha256 } from "./secrets.js";
import { createSession, deleteSession, findSession, readCookie, sessionCookie } from "./sessions.js";

export class NoSession extends NotFoundError {
  override readonly code = "NoSession";
  constructor() {
    super("NoSession: this request carries no session cookie; log in with POST /api/auth/session { api_key }");
  }
}

function whoAmI(principal: Principal, authEnabled: boolean): WhoAmI {
  return {
    kind: principal.kind === "public" ? "anonymous" : principal.kind,
    name: principalName(principal),
    role: principalRole(principal),
    flow_run_id: principal.kind === "run_token" ? principal.flow_run_id : null,
    auth_enabled: authEnabled,
  };
}

/** A session as the UI gets it: who, the CSRF token, and what the role may do (so the UI loads no copy of ROLE_PERMISSIONS before its first page). */
function sessionAnswer(who: WhoAmI, session: { csrf_token: string; expires: string }) {
  return { ...who, csrf_token: session.csrf_token, expires: session.expires, permissions: who.role ? [...ROLE_PERMISSIONS[who.role]] : [] };
}

/** Secure cookies only over TLS: a browser drops a Secure cookie sent over plain http. */
const isTls = (request: FastifyRequest): boolean => request.protocol === "https";

/** Who am I, the UI's sessions, API keys and the audit log. Run tokens are mounted by run-tokens/routes.ts. */
export function authRoutes({ app, database }: RouteContext, { authenticator, limiter, enabled: authEnabled }: AuthRuntime): void {
  const { db } = database;
  mountRoute(app, routes.whoAmI, async ({ request }) => whoAmI(request.principal, authEnabled));

  mountRoute(app, routes.createSession, async ({ body, request, reply }) => {
    // Logging in needs no credential, so the hook did not look at the limiter: a wrong key here is a guess like any other.
    let key;
    try {
      key = await authenticator.verifyApiKey(body.api_key);
    } catch (error) {
      if (error instanceof BadCredential) refuseIfOverLimit(limiter, failureBucket(request, body.api_key), reply);
      throw error;
    }
    const session = await createSession(db, key, new Date());
    reply.header("set-cookie", sessionCookie(SESSION_COOKIE, session.id, (Date.parse(session.expires) - Date.now()) / 1000, isTls(request)));
    // The audit line of the login names the key that logged in.
    request.principal = { ...keyPrincipal(key), kind: "session", session_id: sha256(session.id) };
    return sessionAnswer(whoAmI(request.principal, authEnabled), session);
  });

  mountRoute(app, routes.readSession, async ({ request }) => {
    // With authentication off there is no session to restore, and saying so here (not a 404) lets
    // the UI learn everything it needs at start-up from this one request instead of whoami first.
    if (!authEnabled) return { ...whoAmI(request.principal, authEnabled), csrf_token: null, expires: null, permissions: [] };
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = request.principal.kind === "session" && id ? await findSession(db, id) : undefined;
    if (!session) throw new NoSession();
    return sessionAnswer(whoAmI(request.principal, authEnabled), session);
  });

  mountRoute(app, routes.deleteSession, async ({ request, reply }) => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (id) await deleteSession(db, id);
    reply.header("set-cookie", sessionCookie(SESSION_COOKIE, "", 0, isTls(request)));
    return null;
  });

  mountRoute(app, routes.createApiKey, ({ body }) => createApiKey(db, body, new Date()));
  mountRoute(app, routes.listApiKeys, ({ query }) => listApiKeys(db, query));
  mountRoute(app, routes.revokeApiKey, ({ params }) => revokeApiKey(db, params.name, new Date()));
  mountRoute(app, routes.listAudit, ({ query }) => listAudit(db, query));
}
