import diagnostics_channel from "node:diagnostics_channel";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

/**
 * Timings the metrics want from the code that writes runs, without that code knowing about
 * metrics: it publishes on a diagnostics channel (free when nobody subscribes), and each app's
 * metrics subscribe and keep only what concerns their own database (`db`), so two apps in one
 * process (tests, `baton dev`) never count each other's runs. Observed when written, inside the
 * transaction: a claim rolled back afterwards is still counted, which a histogram can afford.
 */
export interface RunClaimed {
  db: Kysely<Database>;
  pool: string;
  /** When the run was due (its scheduled time). */
  dueAt: string;
  claimedAt: Date;
}

export interface RunStarted {
  db: Kysely<Database>;
  pool: string | null;
  created: string;
  startedAt: string;
}

export const runClaimedChannel = diagnostics_channel.channel("baton:flow-run:claimed");
export const runStartedChannel = diagnostics_channel.channel("baton:flow-run:started");

export function publishRunClaimed(message: RunClaimed): void {
  if (runClaimedChannel.hasSubscribers) runClaimedChannel.publish(message);
}

export function publishRunStarted(message: RunStarted): void {
  if (runStartedChannel.hasSubscribers) runStartedChannel.publish(message);
}
