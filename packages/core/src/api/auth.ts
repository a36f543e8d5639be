import { z } from "zod";
import { IdSchema, PageQuerySchema, ResourceNameSchema, TimestampSchema } from "./common.js";
import type { Permission } from "./route-def.js";

/**
 * Who may do what. A role is a set of permissions; each route of the API table names the one
 * permission it needs, so this map is the whole authorization policy for API keys.
 */
export const RoleSchema = z.enum(["admin", "deployer", "worker", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ["read"],
  deployer: ["read", "deploy", "run"],
  worker: ["read", "work"],
  admin: ["read", "deploy", "run", "work", "admin"],
};

/** `any` needs only a valid credential; `none` not even that. */
export function roleAllows(role: Role, permission: Permission): boolean {
  return permission === "none" || permission === "any" || ROLE_PERMISSIONS[role].includes(permission);
}

/** The roles that may use a route needing `permission`, for a 403 that says what would work. */
export function rolesAllowing(permission: Permission): Role[] {
  return RoleSchema.options.filter((role) => roleAllows(role, permission));
}

export { API_KEY_PREFIX, RUN_TOKEN_PREFIX, readRunTokenClaims } from "./run-token.js";

/** `90d`, `12h`, `30m`, `3600s`: how long a key lives. */
export const DurationTextSchema = z
  .string()
  .regex(/^[1-9][0-9]*[smhdw]$/, "use a number and a unit: 30m, 12h, 90d, 8w");

export const ApiKeyCreateSchema = z
  .object({
    name: ResourceNameSchema,
    role: RoleSchema,
    /** Seconds from now; absent: the key does not expire. */
    expires_in_seconds: z.number().int().min(60).max(10 * 365 * 24 * 3600).optional(),
    /** When set, the key may only act on these work pools (claims, heartbeats, runs in them). */
    work_pools: z.array(ResourceNameSchema).max(100).optional(),
    /** When set, the key may only act on these deployments (`flow/deployment`). */
    deployments: z.array(z.string().min(3).max(201).regex(/^[^/]+\/[^/]+$/, "use flow/deployment")).max(100).optional(),
  })
  .strict();
export type ApiKeyCreate = z.infer<typeof ApiKeyCreateSchema>;

/** What anybody may see of a key: never the key nor its hash. */
export const ApiKeySchema = z.object({
  id: IdSchema,
  name: z.string(),
  role: RoleSchema,
  /** The first characters of the key (`bat_AbCd`), to tell keys apart. */
  prefix: z.string(),
  work_pools: z.array(z.string()).nullable(),
  deployments: z.array(z.string()).nullable(),
  created: TimestampSchema,
  expires: TimestampSchema.nullable(),
  last_used: TimestampSchema.nullable(),
  revoked: TimestampSchema.nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** The answer to creating a key: the only time the key itself is shown. */
export const ApiKeyCreatedSchema = ApiKeySchema.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>;

export const ApiKeyNameParamsSchema = z.object({ name: ResourceNameSchema });

/** Who the server thinks the caller is. */
export const WhoAmISchema = z.object({
  kind: z.enum(["api_key", "basic", "run_token", "session", "anonymous"]),
  name: z.string(),
  role: RoleSchema.nullable(),
  /** For a run token: the one flow run it may act on. */
  flow_run_id: IdSchema.nullable(),
  /** Whether the server checks credentials at all (false under `baton dev`). */
  auth_enabled: z.boolean(),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;

/** The UI logs in with an API key and gets an HttpOnly session cookie plus a CSRF token for writes. */
export const SessionCreateSchema = z.object({ api_key: z.string().min(1).max(200) }).strict();
export const SessionSchema = WhoAmISchema.extend({
  /** Send back as the `x-baton-csrf` header on every request that changes something; null when authentication is off (no session exists). */
  csrf_token: z.string().nullable(),
  /** Null when authentication is off. */
  expires: TimestampSchema.nullable(),
  /** What the role may do (ROLE_PERMISSIONS; empty when authentication is off): the UI needs no copy of the table. */
  permissions: z.array(z.string()),
});
export type Session = z.infer<typeof SessionSchema>;
export const SESSION_COOKIE = "baton_session";
export const CSRF_HEADER = "x-baton-csrf";

/** A credential a worker gets for one flow run and hands to it instead of its own key. */
export const RunTokenSchema = z.object({ token: z.string(), flow_run_id: IdSchema, expires: TimestampSchema });
export type RunToken = z.infer<typeof RunTokenSchema>;

export const AuditEntrySchema = z.object({
  id: IdSchema,
  time: TimestampSchema,
  /** Key name, `basic:<user>`, `run:<flow run id>`, or `anonymous`. */
  actor: z.string(),
  role: RoleSchema.nullable(),
  /** The route's name in the API table: `upsertDeployment`, `setSecret`... */
  action: z.string(),
  /** What it acted on: `deployment etl/etl-prod`, `secret deploy-key`, `work_pool k8s`. */
  object: z.string(),
  status: z.number().int(),
  address: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditListQuerySchema = PageQuerySchema.extend({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  since: TimestampSchema.optional(),
});
