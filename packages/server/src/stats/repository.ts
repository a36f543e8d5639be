import { MAX_STATS_BUCKETS, STATE_TYPES, ValidationError, type FlowRunStats, type FlowRunStatsQuerySchema, type StateType } from "@baton/core";
import { sql, type RawBuilder } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";

type Counts = Record<StateType, number>;
const zeroCounts = (): Counts => Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Counts;

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`ValidationError: ${path}: ${message}`, [{ path, message }]);
}

/**
 * Runs per state type per bucket of `bucket_seconds`, placed by expected_start_time (when the
 * run was first due; its creation for an unscheduled run): what "runs over time" means to
 * someone reading a chart, and indexed (0004), so a window of 100,000 runs is one range read.
 * The database groups; only bucket x state rows come back.
 */
export async function flowRunStats(database: BatonDatabase, query: z.output<typeof FlowRunStatsQuerySchema>, now: Date): Promise<FlowRunStats> {
  const sinceSeconds = Math.floor(Date.parse(query.since) / 1000);
  const untilMs = query.until ? Date.parse(query.until) : now.getTime();
  const width = query.bucket_seconds;
  if (untilMs <= sinceSeconds * 1000) throw invalid("query.until", `must be after since (${query.since}); leave it out for now`);
  const bucketCount = Math.ceil((untilMs / 1000 - sinceSeconds) / width);
  if (bucketCount > MAX_STATS_BUCKETS) {
    throw invalid("query.bucket_seconds", `${bucketCount} buckets of ${width} s fit between since and until, at most ${MAX_STATS_BUCKETS} are answered: use bucket_seconds of at least ${Math.ceil((untilMs / 1000 - sinceSeconds) / MAX_STATS_BUCKETS)} or a shorter window`);
  }
  const since = new Date(sinceSeconds * 1000).toISOString();
  const until = new Date(untilMs).toISOString();
  const bucket: RawBuilder<number> =
    database.kind === "sqlite"
      ? // better-sqlite3 binds numbers as REAL: cast, or the division is not an integer one.
        sql<number>`cast((cast(strftime('%s', expected_start_time) as integer) - ${sinceSeconds}) / ${width} as integer)`
      : sql<number>`floor((extract(epoch from expected_start_time::timestamptz) - ${sinceSeconds}) / ${width})::int`;
  let q = database.db
    .selectFrom("flow_runs")
    .select([bucket.as("bucket"), "state_type", sql<number>`count(*)`.as("count")])
    .where("expected_start_time", ">=", since)
    .where("expected_start_time", "<", until);
  if (query.flow_id) q = q.where("flow_id", "=", query.flow_id);
  if (query.deployment_id) q = q.where("deployment_id", "=", query.deployment_id);
  if (query.work_pool_name) q = q.where("work_pool_name", "=", query.work_pool_name);
  // By position: PostgreSQL does not see the bucket expression in GROUP BY as the selected one (its parameters are numbered anew).
  const rows = await q.groupBy([sql`1`, sql`2`]).execute();

  const buckets = Array.from({ length: bucketCount }, (_, i) => ({ start: new Date((sinceSeconds + i * width) * 1000).toISOString(), counts: zeroCounts() }));
  const totals = zeroCounts();
  for (const row of rows) {
    const index = Number(row.bucket);
    const count = Number(row.count); // PostgreSQL's count is a bigint, which pg returns as a string
    if (!buckets[index] || !(row.state_type in totals)) continue;
    buckets[index].counts[row.state_type] += count;
    totals[row.state_type] += count;
  }
  return { since, until, bucket_seconds: width, buckets, totals, state_types: [...STATE_TYPES] };
}
