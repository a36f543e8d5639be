import { openDatabase } from "../db/open.js";
import { cutoffFor, pruneAll, summarizePrune, type BatchResult, type PruneSummary } from "./prune.js";

export interface PruneOfflineOptions {
  /** Finished runs older than this many days. */
  olderThanDays: number;
  /** Delete them; otherwise only count what would go (the default: a dry run). */
  apply?: boolean;
  now?: Date;
  onBatch?: (batch: BatchResult) => void;
}

export interface PruneOfflineResult {
  summary: PruneSummary;
  /** What was deleted (absent on a dry run). */
  deleted?: BatchResult;
}

/**
 * `baton server prune`: open the server's database directly (where the server runs, like
 * `baton server create-admin-key`), say what retention would delete, and delete it when asked.
 * Safe beside a running server: the same short batches as the server's own retention.
 */
export async function pruneOffline(databaseUrl: string, options: PruneOfflineOptions): Promise<PruneOfflineResult> {
  const database = await openDatabase(databaseUrl);
  try {
    const cutoff = cutoffFor(options.olderThanDays, options.now ?? new Date());
    const summary = await summarizePrune(database, cutoff);
    if (!options.apply || summary.flowRuns === 0) return { summary };
    const deleted = await pruneAll(database, cutoff, { pauseMs: 5, ...(options.onBatch ? { onBatch: options.onBatch } : {}) });
    return { summary, deleted };
  } finally {
    await database.close();
  }
}
