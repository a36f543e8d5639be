import { API_KEY_PREFIX, CSRF_HEADER, RUN_TOKEN_PREFIX, SESSION_COOKIE } from "@baton/core";
import type { FastifyRequest } from "fastify";
import type { Selectable } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { ApiKeyTable } from "../db/schema.js";
import { findApiKeyByHash, findApiKeyById, touchApiKey } from "./api-keys/repository.js";
import { Forbidden, Unauthorized } from "./errors.js";
import type { ApiKeyPrincipal, Principal } from "./principal.js";
import { verifyRunToken } from "./run-tokens/index.js";
import { constantTimeEqual, sha256 } from "./secrets.js";
import { findSession, readCookie } from "./sessions.js";

export const HOW_TO_AUTHENTICATE =
  "send an API key as Authorization: Bearer bat_... (the CLI sends BATON_API_KEY; save one with baton login --url URL --key KEY); " +
  "an admin creates keys with baton api-key create, and the first baton server start printed an admin key";

/** A credential was presented and is wrong: the only kind of failure the rate limiter counts. */
export class BadCredential extends Unauthorized {}

export interface Authenticator {
  /**
   * The principal for a request's credential; `undefined` when it carries none. Throws
   * BadCredential for a credential that is wrong, revoked or expired.
   */
  authenticate(request: FastifyRequest): Promise<Principal | undefined>;
  /** An API key given as text (the session login): its row when it is usable, else BadCredential. */
  verifyApiKey(key: string): Promise<Selectable<ApiKeyTable>>;
}

export function keyPrincipal(row: Selectable<ApiKeyTable>): ApiKeyPrincipal {
  const list = (text: string | null): string[] | null => (text === null ? null : (JSON.parse(text) as string[]));
  return { kind: "api_key", key_id: row.id, name: row.name, role: row.role, work_pools: list(row.work_pools), deployments: list(row.deployments) };
}

/** Why a stored key no longer works, or undefined when it does. */
function unusable(row: Selectable<ApiKeyTable>, now: Date): string | undefined {
  if (row.revoked !== null) return `the API key "${row.name}" was revoked at ${row.revoked}`;
  if (row.expires !== null && Date.parse(row.expires) <= now.getTime()) return `the API key "${row.name}" expired at ${row.expires}`;
  return undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function createAuthenticator(database: BatonDatabase, options: { apiAuthString?: string | undefined }): Authenticator {
  const { db } = database;

  async function verifyApiKey(key: string): Promise<Selectable<ApiKeyTable>> {
    if (!key.startsWith(API_KEY_PREFIX)) throw new BadCredential(`Unauthorized: that is not a Baton API key (they start with ${API_KEY_PREFIX}); ${HOW_TO_AUTHENTICATE}`);
    const hash = sha256(key);
    const row = await findApiKeyByHash(db, hash);
    // The lookup found the row by its hash; the comparison in constant time is the one that decides.
    if (!row || !constantTimeEqual(row.key_hash, hash)) throw new BadCredential(`Unauthorized: the server knows no such API key; ${HOW_TO_AUTHENTICATE}`);
    const now = new Date();
    const why = unusable(row, now);
    if (why) throw new BadCredential(`Unauthorized: ${why}; ask an admin for a new key (baton api-key create)`);
    await touchApiKey(db, row, now);
    return row;
  }

  async function bearer(token: string): Promise<Principal> {
    if (token.startsWith(RUN_TOKEN_PREFIX)) {
      const principal = await verifyRunToken(database, token);
      if (!principal) throw new BadCredential("Unauthorized: the run token is not valid, has expired, its run has ended, or the claim it was made under is over (the run was re-queued, retried, claimed again, or its worker's key revoked); a run token works only for the run and claim its worker asked it for");
      return { kind: "run_token", flow_run_id: principal.flow_run_id, deployment_id: principal.deployment_id, claim_id: principal.claim_id };
    }
    return keyPrincipal(await verifyApiKey(token));
  }

  function basic(encoded: string): Principal {
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    // Compared whole, in constant time; a server without an auth string refuses every basic credential.
    if (!options.apiAuthString || !constantTimeEqual(decoded, options.apiAuthString)) {
      throw new BadCredential(`Unauthorized: wrong user or password for HTTP basic authentication (the server's BATON_SERVER_API_AUTH_STRING); or ${HOW_TO_AUTHENTICATE}`);
    }
    return { kind: "basic", name: decoded.slice(0, decoded.indexOf(":")), role: "admin" };
  }

  async function session(request: FastifyRequest, id: string): Promise<Principal> {
    const row = await findSession(db, id);
    const now = new Date();
    if (!row || Date.parse(row.expires) <= now.getTime()) throw new BadCredential("Unauthorized: the session has ended or is not known; log in again with an API key");
    const key = await findApiKeyById(db, row.api_key_id);
    const why = key ? unusable(key, now) : "its API key was deleted";
    if (!key || why) throw new BadCredential(`Unauthorized: the session's key no longer works: ${why}; log in with another key`);
    // A cookie goes with every request the browser makes, even ones another site triggers: writes
    // must also prove they come from the UI, which alone can read the CSRF token.
    if (!SAFE_METHODS.has(request.method)) {
      const csrf = request.headers[CSRF_HEADER];
      if (typeof csrf !== "string" || !constantTimeEqual(csrf, row.csrf_token)) {
        throw new Forbidden(`Forbidden: a request that changes something with a session cookie needs the session's CSRF token in the ${CSRF_HEADER} header (GET /api/auth/session returns it)`);
      }
    }
    return { ...keyPrincipal(key), kind: "session", session_id: row.id_hash };
  }

  return {
    verifyApiKey,
    async authenticate(request) {
      const header = request.headers.authorization;
      if (header) {
        const space = header.indexOf(" ");
        const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
        const value = space === -1 ? "" : header.slice(space + 1).trim();
        if (scheme === "bearer" && value) return bearer(value);
        if (scheme === "basic" && value) return basic(value);
        throw new BadCredential(`Unauthorized: the Authorization header must be "Bearer <key>" or "Basic <base64 user:password>"; ${HOW_TO_AUTHENTICATE}`);
      }
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (cookie) return session(request, cookie);
      return undefined;
    },
  };
}
