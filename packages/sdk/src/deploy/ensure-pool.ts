import type { WorkPool, WorkPoolType } from "@baton/core";
import { ApiError } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";

/**
 * The pool, read; or created from the type's default template when it does not exist and a
 * type is given. `created` says which, so a worker can say so.
 */
export async function ensureWorkPool(client: BatonClient, name: string, type: WorkPoolType | undefined, description?: string): Promise<{ pool: WorkPool; created: boolean }> {
  try {
    return { pool: await client.call("readWorkPool", { params: { name } }), created: false };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404) || !type) throw error;
  }
  try {
    const { work_pool } = await client.call("createWorkPool", { body: { name, type, ...(description ? { description } : {}) } });
    return { pool: work_pool, created: true };
  } catch (error) {
    // Another worker created it in the meantime.
    if (error instanceof ApiError && error.status === 409) return { pool: await client.call("readWorkPool", { params: { name } }), created: false };
    throw error;
  }
}
