import type { Role } from "@baton/core";

/**
 * Who is making a request, as the auth hook established it. Every request under `/api` has
 * one (`request.principal`); routes and the audit log read it, never the raw credential.
 */
export type Principal = ApiKeyPrincipal | BasicPrincipal | SessionPrincipal | RunTokenPrincipal | AnonymousPrincipal | PublicPrincipal;

/** An API key (`Authorization: Bearer bat_...`). */
export interface ApiKeyPrincipal {
  kind: "api_key";
  key_id: string;
  name: string;
  role: Role;
  /** When set, the key may only act on these work pools (by name). */
  work_pools: string[] | null;
  /** When set, the key may only act on these deployments (`flow/deployment`). */
  deployments: string[] | null;
}

/** HTTP basic matching BATON_SERVER_API_AUTH_STRING: one shared password, so it acts as admin. */
export interface BasicPrincipal {
  kind: "basic";
  /** The user part of `user:password`. */
  name: string;
  role: "admin";
}

/** The UI's cookie session: carries the key it was opened with. */
export interface SessionPrincipal extends Omit<ApiKeyPrincipal, "kind"> {
  kind: "session";
  session_id: string;
}

/** A short-lived token a worker hands to one flow run (`Authorization: Bearer batr_...`). */
export interface RunTokenPrincipal {
  kind: "run_token";
  flow_run_id: string;
  deployment_id: string | null;
  /** The claim the token was made under: it works only while that claim is the run's. */
  claim_id: string;
}

/** Authentication is off (`baton dev`, the in-process client): everything is allowed. */
export interface AnonymousPrincipal {
  kind: "anonymous";
  role: "admin";
}

/** No credential looked at: a route open to all (`/api/health`, logging in) with authentication on. */
export interface PublicPrincipal {
  kind: "public";
}

export const PUBLIC: PublicPrincipal = { kind: "public" };

export const ANONYMOUS: AnonymousPrincipal = { kind: "anonymous", role: "admin" };

/** The role a principal acts with; a run token has none (its scope is checked per route). */
export function principalRole(principal: Principal): Role | null {
  return principal.kind === "run_token" || principal.kind === "public" ? null : principal.role;
}

/** How the audit log and messages name a principal: key name, `basic:<user>`, `run:<id>`, `anonymous`. */
export function principalName(principal: Principal): string {
  switch (principal.kind) {
    case "api_key":
    case "session":
      return principal.name;
    case "basic":
      return `basic:${principal.name}`;
    case "run_token":
      return `run:${principal.flow_run_id}`;
    case "anonymous":
      return "anonymous";
    case "public":
      return "public";
  }
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth hook on every request under `/api` before any handler runs. */
    principal: Principal;
  }
}
