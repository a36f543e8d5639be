import { z } from "zod";
import { IdParamsSchema, PageQuerySchema, pageOf } from "./common.js";
import {
  ApiKeyCreateSchema,
  ApiKeyCreatedSchema,
  ApiKeyNameParamsSchema,
  ApiKeySchema,
  AuditEntrySchema,
  AuditListQuerySchema,
  RunTokenSchema,
  SessionCreateSchema,
  SessionSchema,
  WhoAmISchema,
} from "./auth.js";
import { def } from "./route-def.js";

/** API keys, sessions, run tokens and the audit log: the routes of the authentication issue. */
export const authRoutes = {
  whoAmI: def({ method: "GET", path: "/auth/whoami", permission: "any", summary: "Who the server thinks the caller is", status: 200, response: WhoAmISchema }),
  createSession: def({ method: "POST", path: "/auth/session", permission: "none", summary: "Log in with an API key: sets an HttpOnly session cookie and returns a CSRF token", body: SessionCreateSchema, status: 200, response: SessionSchema }),
  readSession: def({ method: "GET", path: "/auth/session", permission: "any", summary: "The current session (with its CSRF token); with authentication off, auth_enabled false and no token", status: 200, response: SessionSchema }),
  deleteSession: def({ method: "DELETE", path: "/auth/session", permission: "any", summary: "Log out", status: 204, response: z.null() }),

  createApiKey: def({ method: "POST", path: "/api_keys", permission: "admin", summary: "Create an API key; the key is in this answer only", body: ApiKeyCreateSchema, status: 201, response: ApiKeyCreatedSchema }),
  listApiKeys: def({ method: "GET", path: "/api_keys", permission: "admin", summary: "API keys: names, roles, prefixes, last use, expiry", query: PageQuerySchema, status: 200, response: pageOf(ApiKeySchema) }),
  revokeApiKey: def({ method: "DELETE", path: "/api_keys/:name", permission: "admin", summary: "Revoke an API key", params: ApiKeyNameParamsSchema, status: 200, response: ApiKeySchema }),

  createRunToken: def({ method: "POST", path: "/flow_runs/:id/token", permission: "work", summary: "A short-lived credential that can act only on this flow run", params: IdParamsSchema, status: 201, response: RunTokenSchema }),

  listAudit: def({ method: "GET", path: "/audit", permission: "admin", summary: "Who changed what, newest first", query: AuditListQuerySchema, status: 200, response: pageOf(AuditEntrySchema) }),
} as const;
