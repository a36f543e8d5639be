import { TERMINAL_STATE_TYPES, type StateType } from "@baton/core";
import { sql, type Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { deleteStoredResults } from "../results/repository.js";

/** Runs deleted per transaction: short enough that an API request waits for at most one batch. */
export const PRUNE_BATCH = 500;

const FINISHED = [...TERMINAL_STATE_TYPES] as StateType[];

export interface PruneSummary {
  /** Runs older than this (ISO-8601) and finished are the ones that go. */
  cutoff: string;
  flowRuns: number;
  taskRuns: number;
  logs: number;
  /** Results those runs stored on the server (resultStorage "server", pause inputs). */
  results: number;
  /** Of those runs, how many ended in each state type. */
  byState: Record<string, number>;
  /** The oldest and newest creation time among them (null when none). */
  oldest: string | null;
  newest: string | null;
}

/**
 * Which runs retention takes: finished (Completed, Failed, Crashed, Cancelled) and both made and
 * ended before the cutoff. A run still scheduled, pending, running or paused is never taken,
 * however old. The index on (state_type, created, id) serves the read.
 */
function prunable(db: Kysely<Database>, cutoff: string) {
  return db
    .selectFrom("flow_runs")
    .where("state_type", "in", FINISHED)
    .where("created", "<", cutoff)
    .where((eb) => eb.or([eb("end_time", "is", null), eb("end_time", "<", cutoff)]));
}

/** What a prune at `cutoff` would delete, counted without deleting anything. */
export async function summarizePrune(database: BatonDatabase, cutoff: string): Promise<PruneSummary> {
  const db = database.db;
  const states = await prunable(db, cutoff)
    .select(["state_type", sql<number>`count(*)`.as("count"), sql<string | null>`min(created)`.as("oldest"), sql<string | null>`max(created)`.as("newest")])
    .groupBy("state_type")
    .execute();
  const ids = prunable(db, cutoff).select("id");
  const taskRuns = await db.selectFrom("task_runs").select(sql<number>`count(*)`.as("count")).where("flow_run_id", "in", ids).executeTakeFirstOrThrow();
  const logs = await db.selectFrom("logs").select(sql<number>`count(*)`.as("count")).where("flow_run_id", "in", ids).executeTakeFirstOrThrow();
  const results = await db.selectFrom("results").select(sql<number>`count(*)`.as("count")).where("owner", "in", ids).executeTakeFirstOrThrow();
  const byState = Object.fromEntries(states.map((s) => [s.state_type, Number(s.count)]));
  const oldest = states.map((s) => s.oldest).filter((v): v is string => v !== null).sort()[0] ?? null;
  const newest = states.map((s) => s.newest).filter((v): v is string => v !== null).sort().at(-1) ?? null;
  return { cutoff, flowRuns: states.reduce((n, s) => n + Number(s.count), 0), taskRuns: Number(taskRuns.count), logs: Number(logs.count), results: Number(results.count), byState, oldest, newest };
}

export interface BatchResult {
  flowRuns: number;
  taskRuns: number;
  logs: number;
  results: number;
}

/**
 * Delete one batch of prunable runs with everything that hangs on them (task runs and their
 * states, logs, stored results, the runs' states and tags by cascade), in one short transaction.
 */
export async function pruneBatch(database: BatonDatabase, cutoff: string, limit = PRUNE_BATCH): Promise<BatchResult> {
  return database.transaction(async (trx) => {
    const rows = await prunable(trx, cutoff).select("id").orderBy("state_type").orderBy("created").orderBy("id").limit(limit).execute();
    if (rows.length === 0) return { flowRuns: 0, taskRuns: 0, logs: 0, results: 0 };
    const ids = rows.map((r) => r.id);
    // The task run ids as a list, not a subquery: PostgreSQL then reads task_run_states by its
    // primary key instead of scanning the whole table (measured: bench/retention).
    const taskRunIds = (await trx.selectFrom("task_runs").select("id").where("flow_run_id", "in", ids).execute()).map((r) => r.id);
    for (let i = 0; i < taskRunIds.length; i += PRUNE_BATCH) {
      await trx.deleteFrom("task_run_states").where("task_run_id", "in", taskRunIds.slice(i, i + PRUNE_BATCH)).execute();
    }
    const taskRuns = await trx.deleteFrom("task_runs").where("flow_run_id", "in", ids).executeTakeFirst();
    const logs = await trx.deleteFrom("logs").where("flow_run_id", "in", ids).executeTakeFirst();
    // Not a foreign key: a result's owner is a run or 'cache' (cache entries outlive runs).
    const results = await deleteStoredResults(trx, ids);
    const flowRuns = await trx.deleteFrom("flow_runs").where("id", "in", ids).executeTakeFirst();
    return { flowRuns: Number(flowRuns.numDeletedRows), taskRuns: Number(taskRuns.numDeletedRows), logs: Number(logs.numDeletedRows), results };
  });
}

export interface PruneOptions {
  batchSize?: number;
  /** Between batches: the API's requests run here (default: one turn of the event loop). */
  pauseMs?: number;
  /** Checked between batches: stop early (the server is stopping). */
  stopped?: () => boolean;
  onBatch?: (batch: BatchResult) => void;
}

/** Delete every prunable run, a batch at a time, letting other work in between batches. */
export async function pruneAll(database: BatonDatabase, cutoff: string, options: PruneOptions = {}): Promise<BatchResult> {
  const total: BatchResult = { flowRuns: 0, taskRuns: 0, logs: 0, results: 0 };
  const size = options.batchSize ?? PRUNE_BATCH;
  for (;;) {
    if (options.stopped?.()) break;
    const batch = await pruneBatch(database, cutoff, size);
    total.flowRuns += batch.flowRuns;
    total.taskRuns += batch.taskRuns;
    total.logs += batch.logs;
    total.results += batch.results;
    if (batch.flowRuns > 0) options.onBatch?.(batch);
    if (batch.flowRuns < size) break;
    await new Promise((resolve) => (options.pauseMs ? setTimeout(resolve, options.pauseMs) : setImmediate(resolve)));
  }
  return total;
}

/** The cutoff for "older than `days`" at `now`. */
export const cutoffFor = (days: number, now: Date): string => new Date(now.getTime() - days * 86_400_000).toISOString();
