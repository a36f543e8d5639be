import { hashInputs } from "../results/keys.js";
import type { TaskCacheContext } from "./options.js";

/**
 * A ready-made `cacheKeyFn`: calls of one task with equal arguments (compared as JSON) share
 * a cache entry, across flow runs. `task({ name, cacheKeyFn: taskInputHash, cacheExpirationSeconds: 3600 }, fn)`.
 */
export function taskInputHash(context: TaskCacheContext, args: readonly unknown[]): string {
  return `${context.taskName}:${hashInputs(args)}`;
}
