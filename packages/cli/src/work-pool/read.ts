import { NotFoundError, type WorkPool } from "@baton/core";
import type { BatonClient } from "baton";
import { isNotFound } from "../api-errors.js";
import { MATCHES_SHOWN, resolveRef } from "../refs/resolve.js";

export class WorkPoolNotFound extends NotFoundError {
  override readonly code = "WorkPoolNotFound";
}

/** A pool by name, or by its ID or a unique ID prefix (8+ characters). */
export async function readWorkPool(client: BatonClient, ref: string): Promise<WorkPool> {
  try {
    return await client.call("readWorkPool", { params: { name: ref } });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const notFound = () => new WorkPoolNotFound(`WorkPoolNotFound: no work pool "${ref}"; list them with baton work-pool ls, or create it with baton work-pool create ${ref} --type process`);
  const byIdPrefix = async (prefix: string) => {
    const { items } = await client.call("listWorkPools", { query: { id_prefix: prefix, limit: MATCHES_SHOWN + 1 } });
    return items.map((p) => ({ id: p.id, label: `${p.id}  ${p.name}`, pool: p }));
  };
  const matches = /^[0-9a-f-]{8,36}$/i.test(ref) ? await byIdPrefix(ref.toLowerCase()) : [];
  const id = await resolveRef(ref, { what: "work pool", byIdPrefix: async () => matches, byName: async () => matches, notFound });
  return matches.find((m) => m.id === id)!.pool;
}
