import type { CommitRelay } from "../events/capture.js";
import type { Committed } from "../events/committed.js";

/** What the server sends the scheduler's thread. */
export type ToSchedulerThread =
  /** One pass at `now` (ISO); `relay`: send back what it commits, someone here listens for run states. */
  { type: "pass"; id: number; now: string; relay: boolean } | { type: "stop" };

/** What the thread sends back, in the order it happened (a pass's commits and wake-ups come before its end). */
export type FromSchedulerThread =
  | { type: "wake"; pool: string | null }
  | { type: "committed"; committed: Committed }
  | { type: "done"; id: number; created: number }
  | { type: "failed"; id: number; message: string; stack?: string | undefined }
  | { type: "stopped" };

export interface SchedulerThreadData {
  /** The SQLite database file the server has open. */
  file: string;
  /** The write turns the thread's connection takes with the server's (db/write-turns.ts). */
  writeTurns: SharedArrayBuffer;
}

/** Where a pass's results go: its new runs' pools (to wake claims), and, from the thread, its commits (to publish). */
export interface SchedulerResults {
  onRuns(pool: string | null): void;
  commits?: CommitRelay;
}
