import { sql } from "kysely";
import type { BatonDatabase } from "../db/open.js";

export interface StatsFilter {
  flow_id?: string | undefined;
  deployment_id?: string | undefined;
  work_pool_name?: string | undefined;
}

/** The counts' dimension for a filter of at most one field (null: more than one, which the counts do not hold). */
function dimensionOf(filter: StatsFilter): { dim: string; key: string; column: "flow_id" | "deployment_id" | "work_pool_name" | null } | null {
  const given = (["flow_id", "deployment_id", "work_pool_name"] as const).filter((f) => filter[f] !== undefined);
  if (given.length > 1) return null;
  if (given.length === 0) return { dim: "all", key: "", column: null };
  const column = given[0]!;
  return { dim: { flow_id: "flow", deployment_id: "deployment", work_pool_name: "pool" }[column], key: filter[column]!, column };
}

export const countsCover = (filter: StatsFilter): boolean => dimensionOf(filter) !== null;

/**
 * Runs per bucket and state type, over the hours [fromHour, toHour) that lie whole inside one
 * bucket of `width` seconds from `sinceSeconds` (an hour a bucket boundary cuts is left out: the
 * caller reads it from the runs), from the hourly counts plus the changes not folded in yet, in
 * one statement (one snapshot, so a fold in between counts nothing twice). The database sums the
 * hours into buckets: a window of 100 days in day buckets answers 100 rows per state type.
 */
export async function bucketCounts(
  database: BatonDatabase,
  filter: StatsFilter,
  hours: { fromHour: number; toHour: number },
  sinceSeconds: number,
  width: number,
): Promise<{ bucket: number; state_type: string; count: number }[]> {
  const d = dimensionOf(filter);
  if (!d || hours.toHour <= hours.fromHour) return [];
  const changeFilter = d.column ? sql`and ${sql.ref(d.column)} = ${d.key}` : sql``;
  // Integers on both databases: better-sqlite3 binds numbers as REAL, and hour x 3600 outgrows PostgreSQL's integer in 2038.
  const int = (value: number) => (database.kind === "sqlite" ? sql`cast(${value} as integer)` : sql`${value}::bigint`);
  const start = database.kind === "sqlite" ? sql`hour * 3600` : sql`hour::bigint * 3600`;
  const first = sql`(${start} - ${int(sinceSeconds)}) / ${int(width)}`;
  const last = sql`(${start} + 3599 - ${int(sinceSeconds)}) / ${int(width)}`;
  const rows = await sql<{ bucket: number | string; state_type: string; count: number | string }>`select ${first} as bucket, state_type, sum(n) as count from (
      select hour, state_type, count as n from flow_run_counts where dim = ${d.dim} and key = ${d.key} and hour >= ${hours.fromHour} and hour < ${hours.toHour}
      union all
      select hour, state_type, delta as n from flow_run_count_changes where hour >= ${hours.fromHour} and hour < ${hours.toHour} ${changeFilter}
    ) x where ${first} = ${last} group by 1, 2`.execute(database.db);
  // PostgreSQL's sum is a bigint, which pg returns as a string.
  return rows.rows.map((r) => ({ bucket: Number(r.bucket), state_type: r.state_type, count: Number(r.count) }));
}
