import { mkdirSync, rmSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const STALE_AFTER_MS = 10 * 60_000;

/**
 * A lock two processes on one machine can share: mkdir is atomic. Runs on the same machine
 * cloning the same repository take turns on its mirror; a lock left by a dead process is
 * taken over once it is older than any clone should take.
 */
export async function withDirectoryLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${path}; if no other run is cloning, delete it`);
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
