import type { ResultSerializer, ResultStorageSpec } from "./result-types.js";
import type { RetryDelay } from "../timing/retry.js";
import type { TaskHookOptions } from "./hook-types.js";

/** What a cache key function is told about the call being keyed. */
export interface TaskCacheContext {
  taskName: string;
  flowRunId: string;
  flowRunName: string;
  flowName: string;
  /** The flow run's parameters. */
  parameters: Record<string, unknown>;
}

export interface TaskOptions<A extends unknown[] = unknown[]> extends TaskHookOptions {
  name: string;
  description?: string;
  tags?: string[];
  /** Retries after the first attempt fails (default 0). */
  retries?: number;
  /** Seconds before each retry: a number, a list (the last repeats), or `exponentialBackoff({...})`. */
  retryDelaySeconds?: RetryDelay;
  /** Random variation of each delay, as a fraction of it (0.2: +/-20%). */
  retryJitterFactor?: number;
  /** Retry only when this says so (default: every error is retried while retries are left). */
  retryCondition?: (error: unknown) => boolean;
  /** The call fails with TaskTimeoutError (state Failed, named TimedOut) after this long. */
  timeoutSeconds?: number;
  /** Calls with the same key reuse the stored result (state Completed, named Cached). */
  cacheKeyFn?: (context: TaskCacheContext, args: A) => string;
  /** How long a cached result stays valid (default: forever). */
  cacheExpirationSeconds?: number;
  /** Keep the result on disk, so a retried flow run reuses it instead of running the call again. */
  persistResult?: boolean;
  /** Where persisted results and cache entries go: "local", "server", "s3://bucket[/prefix]", or a ResultStorage (default: BATON_RESULTS_STORAGE). */
  resultStorage?: ResultStorageSpec;
  /** How results are written (default JSON keeping Dates, Maps, Sets, BigInts...; "v8" or your own: see ResultSerializer). */
  resultSerializer?: ResultSerializer;
  /** console.log/info/debug/warn/error inside this task go to the run's logs (default: the flow run's logPrints). */
  logPrints?: boolean;
}

/** What the engine needs about a task, computed once when it is defined (here, apart from task(), so the engine
 * can name it without importing task(), which imports the engine). */
export interface TaskDefinition<A extends unknown[] = unknown[], R = unknown> {
  options: TaskOptions<A>;
  fn: (...args: A) => R;
  argNames: string[];
}
