import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FromSchedulerThread, SchedulerResults, SchedulerThreadData, ToSchedulerThread } from "./scheduler-thread-protocol.js";

/** The scheduler on a thread of its own (scheduler-thread-entry.ts): passes are sent to it one at a time. */
export interface SchedulerThread {
  /** One pass at `now`: the runs it made. Rejects when the pass failed or the thread died. */
  pass(now: Date): Promise<number>;
  /** False once the thread has died (an error, an exit): passes go back to the server's thread. */
  readonly alive: boolean;
  stop(): Promise<void>;
}

export class SchedulerThreadFailed extends Error {
  override readonly name = "SchedulerThreadFailed";
}

/**
 * The thread's heap, kept small: with V8's defaults a thread kept 65-110 MB more resident after
 * a fill of 1,000 deployments (the server's RSS 248-292 MB in the steady state against 179-184
 * without it); a 4 MB young generation brought that to 199-206 MB at the same fill time. The old
 * generation's cap is far above a pass's live data (a claim of 100 schedules and one batch's
 * rows, ~16 MB of loaded modules); a thread that still ran out would die and hand the passes back.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 };

/**
 * The entry's file beside this one: compiled JavaScript in a build; the TypeScript source when
 * the server itself runs from its sources (the tests), loaded through tsx then.
 */
function entry(): URL | string {
  const js = new URL("./scheduler-thread-entry.js", import.meta.url);
  if (import.meta.url.endsWith(".js") || existsSync(fileURLToPath(js))) return js;
  const ts = new URL("./scheduler-thread-entry.ts", import.meta.url).href;
  // An ES module evaluated as the worker's script: a worker's --import hooks do not reach its own entry on Node 20.
  // tsx's ES module API by its package's own exports map: a data: URL has no base to resolve a bare name from.
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const api = (JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports["./esm/api"]!.import.default;
  const tsx = pathToFileURL(join(dirname(manifest), api)).href;
  return new URL(`data:text/javascript,${encodeURIComponent(`await (await import(${JSON.stringify(tsx)})).tsImport(${JSON.stringify(ts)}, ${JSON.stringify(ts)});`)}`);
}

/**
 * Start the thread on the server's SQLite `file`. Its commits' run states come back to be
 * published here (the event streams live on this thread), its new runs wake waiting claims.
 */
export function startSchedulerThread(file: string, writeTurns: SharedArrayBuffer, results: SchedulerResults): SchedulerThread {
  const worker = new Worker(entry(), { workerData: { file, writeTurns } satisfies SchedulerThreadData, resourceLimits: THREAD_HEAP });
  const waiting = new Map<number, { resolve(created: number): void; reject(error: Error): void }>();
  let nextId = 0;
  let dead: Error | undefined;
  const fail = (error: Error) => {
    dead ??= error;
    for (const pending of waiting.values()) pending.reject(dead);
    waiting.clear();
  };
  worker.on("message", (message: FromSchedulerThread) => {
    switch (message.type) {
      case "wake":
        return results.onRuns(message.pool);
      case "committed":
        return results.commits?.publish(message.committed);
      case "done":
        waiting.get(message.id)?.resolve(message.created);
        return waiting.delete(message.id);
      case "failed": {
        const error = new SchedulerThreadFailed(message.message);
        if (message.stack) error.stack = message.stack;
        waiting.get(message.id)?.reject(error);
        return waiting.delete(message.id);
      }
      case "stopped":
        return;
    }
  });
  worker.on("error", (error) => fail(new SchedulerThreadFailed(`the scheduler's thread failed: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => fail(new SchedulerThreadFailed(`the scheduler's thread exited (code ${code})`)));
  const send = (message: ToSchedulerThread) => worker.postMessage(message);
  let stopping: Promise<void> | undefined;
  return {
    get alive() {
      return dead === undefined;
    },
    pass(now) {
      if (dead) return Promise.reject(dead);
      const id = ++nextId;
      return new Promise<number>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        send({ type: "pass", id, now: now.toISOString(), relay: results.commits?.wanted() ?? false });
      });
    },
    stop: () =>
      (stopping ??= dead
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            worker.once("exit", () => resolve());
            send({ type: "stop" });
            // The thread finishes its pass (bounded batches) and closes its connection; not forever.
            setTimeout(() => void worker.terminate(), 10_000).unref();
          })),
  };
}
