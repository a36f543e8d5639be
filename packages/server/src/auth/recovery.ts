import { BatonError, ResourceNameSchema, type ApiKeyCreated } from "@baton/core";
import { openDatabase } from "../db/open.js";
import { createApiKey } from "./api-keys/repository.js";
import { recordAudit } from "./audit/repository.js";
import { unusedKeyName } from "./bootstrap.js";

export class InvalidApiKeyName extends BatonError {
  override readonly code = "InvalidApiKeyName";
  override readonly status = 400;
}

/** Who the audit log says made a key this way: no credential was used, only access to the database. */
export const RECOVERY_ACTOR = "server create-admin-key";
/** The name a recovery key gets unless one is given (numbered when taken). */
export const RECOVERY_KEY_NAME = "recovery-admin";

/**
 * Offline recovery of lost admin keys (`baton server create-admin-key`): opens the server's
 * database directly, as `server start` would, and stores a new admin key whatever keys exist
 * (BATON_SERVER_BOOTSTRAP_API_KEY only acts when no admin key works). Whoever can open the
 * database owns the server already, so this gives nothing away; it is audited all the same.
 * The key is in the answer only: print it once.
 */
export async function createAdminKeyOffline(databaseUrl: string, options: { name?: string | undefined; now?: Date } = {}): Promise<ApiKeyCreated> {
  const parsed = options.name === undefined ? undefined : ResourceNameSchema.safeParse(options.name);
  if (parsed && !parsed.success) {
    throw new InvalidApiKeyName(`InvalidApiKeyName: --name "${options.name}" is not a valid key name (${parsed.error.issues[0]?.message ?? "invalid"}); e.g. --name ops-recovery`);
  }
  const now = options.now ?? new Date();
  const database = await openDatabase(databaseUrl);
  try {
    return await database.transaction(async (trx) => {
      const name = options.name ?? (await unusedKeyName(trx, RECOVERY_KEY_NAME));
      const created = await createApiKey(trx, { name, role: "admin" }, now);
      await recordAudit(trx, { actor: RECOVERY_ACTOR, role: "admin", action: "createApiKey", object: `api_key ${name}`, status: 201, address: null }, now);
      return created;
    });
  } finally {
    await database.close();
  }
}
