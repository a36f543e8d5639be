import type { StateDetails } from "@baton/core";
import { LOG_LEVELS } from "@baton/core/runtime";
import type { FlowRunFrame, TaskRunFrame } from "../context/run-context.js";
import { emit } from "../logging/run-logger.js";
import { getSecret } from "../values/get-secret.js";
import { persistedResultKey, readCached, readPersisted, resolveStorage, writeCached, writePersisted } from "../results/index.js";
import type { TaskDefinition } from "../definition/task-options.js";
import { describeError } from "../errors/describe.js";

export interface ResultKeys {
  def: TaskDefinition<never, unknown>;
  args: readonly unknown[];
  flow: FlowRunFrame;
  index: number;
  cacheKey: string | undefined;
}

export interface StoredHit {
  value: unknown;
  details: { state_details?: StateDetails };
  /** Said in the log: where the value came from. */
  from: string;
}

/** A cached result (by cache key) or a persisted one (same flow run, same call, same inputs). */
export async function lookupStoredResult(keys: ResultKeys, frame: TaskRunFrame): Promise<StoredHit | undefined> {
  try {
    return await lookup(keys);
  } catch (error) {
    // An unreadable entry (a half-copied folder, another Node's format) is a miss, not a failure.
    emit(frame, LOG_LEVELS.warning, `A stored result could not be read (${describeError(error)}); running the task`, "baton.task_runs");
    return undefined;
  }
}

/** Where this task's results go and how they are written: the task's options, else its flow's, else the settings. */
function storageOf(keys: ResultKeys) {
  const { def, flow } = keys;
  return {
    storage: resolveStorage(def.options.resultStorage ?? flow.resultStorage, flow.resultSettings, flow.client, getSecret),
    serializer: def.options.resultSerializer ?? flow.resultSerializer,
  };
}

async function lookup(keys: ResultKeys): Promise<StoredHit | undefined> {
  const { def, flow, cacheKey } = keys;
  const { storage, serializer } = storageOf(keys);
  if (cacheKey !== undefined) {
    const hit = await readCached(storage, def.options.name, cacheKey, serializer);
    if (hit) {
      const expiration = hit.expiresAt !== null ? { cache_expiration: new Date(hit.expiresAt).toISOString() } : {};
      return { value: hit.value, details: { state_details: { cache_key: cacheKey.slice(0, 500), ...expiration } }, from: `cache key ${JSON.stringify(cacheKey)}` };
    }
  }
  if (def.options.persistResult) {
    const hit = await readPersisted(storage, persistedResultKey(flow.id, def.options.name, keys.index, keys.args), serializer);
    if (hit) return { value: hit.value, details: {}, from: "result persisted by an earlier attempt of this flow run" };
  }
  return undefined;
}

/**
 * Stores a fresh result where the options ask. A value that cannot be stored (a function,
 * a class with native state) is logged and the run goes on: the result itself is fine.
 */
export async function storeResult(keys: ResultKeys, value: unknown, frame: TaskRunFrame): Promise<{ state_details?: StateDetails } | undefined> {
  const { def, flow, cacheKey } = keys;
  let details: { state_details?: StateDetails } | undefined;
  try {
    const { storage, serializer } = storageOf(keys);
    if (cacheKey !== undefined) {
      const seconds = def.options.cacheExpirationSeconds;
      const expiresAt = seconds !== undefined ? Date.now() + seconds * 1000 : null;
      await writeCached(storage, def.options.name, cacheKey, { value, expiresAt }, serializer);
      details = { state_details: { cache_key: cacheKey.slice(0, 500), ...(expiresAt !== null ? { cache_expiration: new Date(expiresAt).toISOString() } : {}) } };
    }
    if (def.options.persistResult) {
      await writePersisted(storage, persistedResultKey(flow.id, def.options.name, keys.index, keys.args), value, serializer);
    }
  } catch (error) {
    emit(frame, LOG_LEVELS.warning, `The result could not be stored for reuse (${describeError(error)}); the run goes on`, "baton.task_runs");
  }
  return details;
}
