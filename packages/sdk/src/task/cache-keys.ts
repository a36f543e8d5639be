import { hashInputs } from "../results/keys.js";
import type { TaskCacheContext } from "../definition/task-options.js";

/**
 * A ready-made `cacheKeyFn`: calls of one task with equal arguments share a cache entry,
 * across flow runs. Arguments are compared by type and content (a Date is not its ISO string,
 * object key order does not matter); see results/canonical.ts. `task({ name, cacheKeyFn: taskInputHash, cacheExpirationSeconds: 3600 }, fn)`.
 */
export function taskInputHash(context: TaskCacheContext, args: readonly unknown[]): string {
  return `${context.taskName}:${hashInputs(args)}`;
}
