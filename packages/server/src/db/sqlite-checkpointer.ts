import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints off the event loop. SQLite's own checkpoint runs inside the commit that
 * crosses `wal_autocheckpoint` pages: it copies every page written since the last one into the
 * database file and syncs it, on the server's only connection, while every request waits (a
 * quarter of the scheduler's fill went there). This thread opens its own connection and runs
 * PASSIVE checkpoints, which neither wait for nor block readers and writers, so the commit that
 * crosses the (raised) threshold finds almost every page copied already. A hot page written by
 * many commits between two checkpoints is copied once.
 */
export interface SqliteCheckpointer {
  stop(): Promise<void>;
}

/** Pages the server's connection lets the WAL grow to before it checkpoints itself: what is left after this thread's work. */
export const SERVER_WAL_AUTOCHECKPOINT_PAGES = 10_000;
const EVERY_MS = 500;

// A script, not a module of this package: the worker runs it whether the server runs from its
// compiled files or from the TypeScript sources (tests), and loads only the SQLite driver.
const SCRIPT = `
const { workerData, parentPort } = require("node:worker_threads");
const { driver, filename, everyMs, busyTimeoutMs } = workerData;
let db, checkpoint;
if (driver === "node:sqlite") {
  const { DatabaseSync } = require("node:sqlite");
  db = new DatabaseSync(filename);
  db.exec("PRAGMA busy_timeout = " + busyTimeoutMs);
  checkpoint = () => db.exec("PRAGMA wal_checkpoint(PASSIVE)");
} else {
  const Database = require(driver);
  db = new Database(filename);
  db.pragma("busy_timeout = " + busyTimeoutMs);
  checkpoint = () => db.pragma("wal_checkpoint(PASSIVE)");
}
const timer = setInterval(() => {
  try { checkpoint(); } catch { /* busy or closing: the next tick, or the server's own checkpoint, does it */ }
}, everyMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.postMessage("stopped"); });
`;

const require = createRequire(import.meta.url);

export function startSqliteCheckpointer(filename: string, driver: "better-sqlite3" | "node:sqlite", busyTimeoutMs: number): SqliteCheckpointer {
  const worker = new Worker(SCRIPT, {
    eval: true,
    workerData: { driver: driver === "node:sqlite" ? driver : require.resolve("better-sqlite3"), filename, everyMs: EVERY_MS, busyTimeoutMs },
    // Its own small heap: it holds one connection and no JavaScript objects worth the name.
    resourceLimits: { maxOldGenerationSizeMb: 16 },
  });
  // A failed checkpointer costs speed, never data: the server's connection still checkpoints.
  worker.on("error", () => undefined);
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.once("message", () => void worker.terminate());
        worker.postMessage("stop");
        setTimeout(() => void worker.terminate(), 2_000).unref();
      })),
  };
}
