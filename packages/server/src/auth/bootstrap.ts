import { API_KEY_PREFIX, BatonError, type ApiKeyCreated } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { createApiKey, hasUsableApiKey } from "./api-keys/repository.js";

export class InvalidBootstrapKey extends BatonError {
  override readonly code = "InvalidBootstrapKey";
  override readonly status = 400;
}

export class InsecureListen extends BatonError {
  override readonly code = "InsecureListen";
  override readonly status = 400;
}

/** The name the first admin key gets. */
export const BOOTSTRAP_KEY_NAME = "bootstrap-admin";

/** At least 128 bits after the prefix: a bootstrap key someone chose must still be unguessable. */
const BOOTSTRAP_KEY_PATTERN = /^bat_[A-Za-z0-9_-]{22,}$/;

/**
 * A server with authentication on and no working admin key would lock everybody out: make
 * one (or store the one given in BATON_SERVER_BOOTSTRAP_API_KEY) and return it, once. With a
 * working admin key already there, nothing happens and `undefined` comes back.
 */
export async function ensureBootstrapKey(database: BatonDatabase, given: string | undefined, now = new Date()): Promise<ApiKeyCreated | undefined> {
  if (given !== undefined && !BOOTSTRAP_KEY_PATTERN.test(given)) {
    throw new InvalidBootstrapKey(
      `InvalidBootstrapKey: BATON_SERVER_BOOTSTRAP_API_KEY must be ${API_KEY_PREFIX} followed by at least 22 characters of A-Z, a-z, 0-9, - and _ ` +
        `(e.g. ${API_KEY_PREFIX}$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')); or leave it unset and the server makes one`,
    );
  }
  if (await hasUsableApiKey(database.db, now)) return undefined;
  return createApiKey(database.db, { name: await unusedKeyName(database.db, BOOTSTRAP_KEY_NAME), role: "admin" }, now, given);
}

/** `base`, else `base-2`, `base-3`...: a revoked key keeps its name, so the next one is numbered. */
export async function unusedKeyName(db: Kysely<Database>, base: string): Promise<string> {
  let name = base;
  for (let n = 2; await db.selectFrom("api_keys").select("id").where("name", "=", name).executeTakeFirst(); n++) name = `${base}-${n}`;
  return name;
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare) || bare === "::ffff:127.0.0.1";
}

/** Authentication off on an address others can reach needs an explicit, separate consent. */
export function checkListenAuth(host: string, authEnabled: boolean, insecureNoAuth: boolean): void {
  if (authEnabled || insecureNoAuth || isLoopbackHost(host)) return;
  throw new InsecureListen(
    `InsecureListen: refusing to listen on ${host} with authentication off: anyone who can reach it could run code on your workers. ` +
      `Turn authentication on (unset BATON_SERVER_AUTH_ENABLED), listen on 127.0.0.1, or pass --insecure-no-auth if the network is private and you mean it`,
  );
}
