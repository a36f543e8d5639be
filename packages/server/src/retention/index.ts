export { pruneOffline, type PruneOfflineOptions, type PruneOfflineResult } from "./offline.js";
export { pruneAll, pruneBatch, summarizePrune, cutoffFor, PRUNE_BATCH, type PruneSummary, type BatchResult } from "./prune.js";
export { startRetention, type RetentionOptions } from "./service.js";
