import type { RetryDelay } from "../engine/retry.js";

/** What a cache key function is told about the call being keyed. */
export interface TaskCacheContext {
  taskName: string;
  flowRunId: string;
  flowRunName: string;
  flowName: string;
  /** The flow run's parameters. */
  parameters: Record<string, unknown>;
}

export interface TaskOptions<A extends unknown[] = unknown[]> {
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
}
