import { MAX_STATS_BUCKETS, STATE_TYPES, ValidationError, type FlowRunStats, type FlowRunStatsQuerySchema, type StateType } from "@baton/core";
import { sql, type RawBuilder } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { bucketCounts, countsCover } from "./counts.js";
import { planWindow } from "./window.js";

type Counts = Record<StateType, number>;
const zeroCounts = (): Counts => Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Counts;

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`ValidationError: ${path}: ${message}`, [{ path, message }]);
}

type StatsQuery = z.output<typeof FlowRunStatsQuerySchema>;

/** Rows per raw-range statement: a bounded OR list. */
const RANGES_PER_STATEMENT = 100;

/** Runs per bucket and state type read from flow_runs itself, for the given [start, end) ranges in epoch seconds. */
async function rawCounts(database: BatonDatabase, query: StatsQuery, sinceSeconds: number, ranges: [number, number][]): Promise<{ bucket: number; state_type: string; count: number }[]> {
  const width = query.bucket_seconds;
  const bucket: RawBuilder<number> =
    database.kind === "sqlite"
      ? // better-sqlite3 binds numbers as REAL: cast, or the division is not an integer one.
        sql<number>`cast((cast(strftime('%s', expected_start_time) as integer) - ${sinceSeconds}) / ${width} as integer)`
      : sql<number>`floor((extract(epoch from expected_start_time::timestamptz) - ${sinceSeconds}) / ${width})::int`;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  // SQLite has no statistics to weigh a deployment's runs against an hour's: for the short ranges the
  // counts leave (the current hour), a unary + keeps it on the time index instead of reading all the deployment's runs.
  const short = ranges.reduce((sum, [a, b]) => sum + (b - a), 0) <= 2 * 86_400;
  const filterColumn = (name: "flow_id" | "deployment_id" | "work_pool_name") => (database.kind === "sqlite" && short ? sql<string>`+${sql.ref(name)}` : sql.ref(name));
  const out: { bucket: number; state_type: string; count: number }[] = [];
  for (let start = 0; start < ranges.length; start += RANGES_PER_STATEMENT) {
    const chunk = ranges.slice(start, start + RANGES_PER_STATEMENT);
    let q = database.db
      .selectFrom("flow_runs")
      .select([bucket.as("bucket"), "state_type", sql<number>`count(*)`.as("count")])
      .where((eb) => eb.or(chunk.map(([a, b]) => eb.and([eb("expected_start_time", ">=", iso(a)), eb("expected_start_time", "<", iso(b))]))));
    if (query.flow_id) q = q.where(filterColumn("flow_id"), "=", query.flow_id);
    if (query.deployment_id) q = q.where(filterColumn("deployment_id"), "=", query.deployment_id);
    if (query.work_pool_name) q = q.where(filterColumn("work_pool_name"), "=", query.work_pool_name);
    // By position: PostgreSQL does not see the bucket expression in GROUP BY as the selected one (its parameters are numbered anew).
    const rows = await q.groupBy([sql`1`, sql`2`]).execute();
    // PostgreSQL's count is a bigint, which pg returns as a string
    out.push(...rows.map((r) => ({ bucket: Number(r.bucket), state_type: r.state_type, count: Number(r.count) })));
  }
  return out;
}

/**
 * Runs per state type per bucket of `bucket_seconds`, placed by expected_start_time (when the
 * run was first due; its creation for an unscheduled run): what "runs over time" means to
 * someone reading a chart. The whole hours of the window come from the hourly counts (0014),
 * so 100 days cost 2,400 hours whatever the number of runs; what is left (the current hour, the
 * hours a bucket boundary cuts, more than one filter at once) is a range read of the runs'
 * expected_start_time index (0004). `useCounts: false` reads everything from the runs.
 */
export async function flowRunStats(database: BatonDatabase, query: StatsQuery, now: Date, options: { useCounts?: boolean } = {}): Promise<FlowRunStats> {
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
  const buckets = Array.from({ length: bucketCount }, (_, i) => ({ start: new Date((sinceSeconds + i * width) * 1000).toISOString(), counts: zeroCounts() }));
  const totals = zeroCounts();
  const add = (index: number, stateType: string, count: number) => {
    if (!buckets[index] || !(stateType in totals)) return;
    buckets[index].counts[stateType as StateType] += count;
    totals[stateType as StateType] += count;
  };

  const plan = options.useCounts !== false && countsCover(query) ? planWindow(sinceSeconds, untilMs / 1000, width) : null;
  if (plan && width >= 3600) {
    for (const row of await bucketCounts(database, query, plan, sinceSeconds, width)) add(row.bucket, row.state_type, row.count);
  }
  const ranges: [number, number][] = plan ? plan.raw : [[sinceSeconds, untilMs / 1000]];
  for (const row of await rawCounts(database, query, sinceSeconds, ranges)) add(row.bucket, row.state_type, row.count);
  return { since, until, bucket_seconds: width, buckets, totals, state_types: [...STATE_TYPES] };
}
