import { setTimeout as sleep } from "node:timers/promises";

/**
 * How old a lock whose holder stopped refreshing it must be before another process takes it.
 * The holder refreshes it every half of this while it works, however long the clone takes; a
 * holder killed (SIGKILL, OOM, a lost container) stops refreshing, and its lock is free this
 * long after.
 */
export const LOCK_STALE_MS = 10_000;

export interface DirectoryLockOptions {
  /** How long to wait for another holder (default 15 minutes). */
  timeoutMs?: number;
  /** Stops the wait (the pull step's time limit). */
  signal?: AbortSignal;
}

/**
 * A lock processes on one machine (or on one shared volume) share, around a repository's mirror:
 * runs cloning the same repository take turns. proper-lockfile makes it with mkdir (atomic) and
 * keeps its mtime fresh while held, so a lock outlives neither its holder nor a long clone.
 */
export async function withDirectoryLock<T>(path: string, fn: () => Promise<T>, options: DirectoryLockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  // Loaded here, not when "baton" is imported: only runs with pull steps take this lock.
  const { default: lockfile } = await import("proper-lockfile");
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      release = await lockfile.lock(path, {
        lockfilePath: path,
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: 0,
        // Another process judged the lock stale and took it (this one was stopped too long to refresh it): finish, then fail.
        onCompromised: (error) => {
          compromised = error;
        },
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${path}, held by another run cloning the same repository`);
      await sleep(100, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    }
  }
  try {
    const result = await fn();
    if (compromised) throw new Error(`the lock ${path} was taken by another process while this one held it (${compromised.message}); run again`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
