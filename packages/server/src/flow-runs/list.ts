import type { FlowRun, FlowRunListQuerySchema, Page } from "@baton/core";
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { jsonArrayContains, splitStateFilter } from "../db/filters.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { compareValueRows, decodeValueCursor, directionOf, isValueSort, sortFloor, sortValue, type ValueCursor, type ValueSort, valueCursorKey } from "./sort.js";
import type { Database } from "../db/schema.js";
import { toUtcIso } from "../orchestration/states.js";
import { toFlowRun, type FlowRunRow } from "./row.js";

export type FlowRunListQuery = z.output<typeof FlowRunListQuerySchema>;
/** The list's filters, without paging or order. */
export type FlowRunFilter = Omit<FlowRunListQuery, "limit" | "sort" | "cursor">;
type RunQuery = SelectQueryBuilder<Database, "flow_runs", FlowRunRow>;

/**
 * A page of runs, newest first (keyset on created, id). Each filter has an index that ends in
 * (created, id) (0001, 0004), so a page is a short index range read however many runs there are.
 * Several states at once (`FAILED,CRASHED`) would make the database sort every matching run
 * (one index range per state, not in created order): instead each state gets its own
 * limit+1 query in index order and the pages are merged here.
 *
 * Sorted by start time or duration (sort.ts), a page walks that value's index (0021) and keeps
 * the runs the filters match; the runs without the value come after all the others.
 */
export async function listFlowRuns(database: BatonDatabase, query: FlowRunListQuery, commonTagRuns = COMMON_TAG_RUNS): Promise<Page<FlowRun>> {
  const direction = directionOf(query.sort);
  const base = filtered(database, query, database.kind === "sqlite" ? await commonTags(database, query.tag ?? [], commonTagRuns) : new Set());
  const { types, names } = splitStateFilter(query.state ?? []);
  const byState = <R extends FlowRunRow>(page: (q: RunQuery) => Promise<R[]>) => {
    if (types.length + names.length <= 1) return [page(types[0] ? base.where("state_type", "=", types[0]) : names[0] ? base.where("state_name", "=", names[0]) : base)];
    return [...types.map((t) => page(base.where("state_type", "=", t))), ...names.map((n) => page(base.where("state_name", "=", n)))];
  };
  const merge = <R extends FlowRunRow>(pages: R[][], order: (a: R, b: R) => number) => {
    if (pages.length === 1) return pages[0]!;
    const byId = new Map(pages.flat().map((row) => [row.id, row])); // a run can match a type and a name
    return [...byId.values()].sort(order).slice(0, query.limit + 1);
  };
  if (isValueSort(query.sort)) {
    const sort = query.sort;
    const cursor = query.cursor ? decodeValueCursor(sort, query.cursor) : undefined;
    const rows = merge(await Promise.all(byState((q) => valuePage(database, q, sort, query.limit, cursor))), compareValueRows(direction));
    return pageFrom(rows, query.limit, toFlowRun, (row) => valueCursorKey(sort, row));
  }
  const after = query.cursor ? (decodeCursor(query.cursor, 2) as [string, string]) : undefined;
  const page = (q: RunQuery): Promise<FlowRunRow[]> => {
    const op = direction === "desc" ? "<" : ">";
    const from = after ? q.where((eb) => eb.or([eb("created", op, after[0]), eb.and([eb("created", "=", after[0]), eb("id", op, after[1])])])) : q;
    return from.orderBy("created", direction).orderBy("id", direction).limit(query.limit + 1).execute();
  };
  const order = (a: FlowRunRow, b: FlowRunRow) => (a.created === b.created ? (a.id < b.id ? -1 : 1) : a.created < b.created ? -1 : 1);
  const rows = merge(await Promise.all(byState(page)), (a, b) => (direction === "desc" ? order(b, a) : order(a, b)));
  return pageFrom(rows, query.limit, toFlowRun, (row) => [row.created, row.id]);
}

type SortedRow = FlowRunRow & { sort_value: string | number | null };

/** limit+1 runs after the cursor: from the valued part first, then from the rest if the page is not full. */
async function valuePage(database: BatonDatabase, q: RunQuery, sort: ValueSort, limit: number, cursor: ValueCursor | undefined): Promise<SortedRow[]> {
  const value = sortValue(database.kind, sort);
  const direction = directionOf(sort);
  const op = direction === "desc" ? "<" : ">";
  const withValue = q.select(value.as("sort_value"));
  const rows: SortedRow[] = [];
  if (!cursor || cursor.valued) {
    // Written as ranges on the value: SQLite reads neither "is not null" nor a row-value or OR
    // comparison on an indexed expression as an index range, and would walk the index from its end.
    let valued = withValue.where(value, ">", sortFloor(sort));
    if (cursor) valued = valued.where(value, `${op}=`, cursor.value).where((eb) => eb.or([eb(value, op, cursor.value), eb("id", op, cursor.id)]));
    rows.push(...((await valued.orderBy(value, direction).orderBy("id", direction).limit(limit + 1).execute()) as SortedRow[]));
  }
  if (rows.length <= limit) {
    let rest = withValue.where(value, "is", null);
    if (cursor && !cursor.valued) rest = rest.where("id", op, cursor.id);
    // The null end of the same index, in id order. PostgreSQL reads it so only when the (null)
    // value leads the order; SQLite then sorts the rows of the null end, and without it does not.
    const ordered = database.kind === "sqlite" ? rest : rest.orderBy(value, direction);
    rows.push(...((await ordered.orderBy("id", direction).limit(limit + 1 - rows.length).execute()) as SortedRow[]));
  }
  return rows;
}

export function filtered(database: BatonDatabase, query: FlowRunFilter, common: ReadonlySet<string>): RunQuery {
  let q = database.db.selectFrom("flow_runs").selectAll();
  if (query.flow_name) q = q.where("flow_name", "=", query.flow_name);
  if (query.name) q = q.where("name", "=", query.name);
  // The prefix is hex digits and '-' only (IdPrefixSchema): no LIKE wildcard gets through.
  if (query.id_prefix) q = q.where("id", "like", `${query.id_prefix}%`);
  if (query.flow_id) q = q.where("flow_id", "=", query.flow_id);
  if (query.parent_flow_run_id) q = q.where("parent_flow_run_id", "=", query.parent_flow_run_id);
  if (query.deployment_id) q = q.where("deployment_id", "=", query.deployment_id);
  if (query.work_pool_name) q = q.where("work_pool_name", "=", query.work_pool_name);
  for (const tag of query.tag ?? []) q = q.where(hasTag(database, tag, common.has(tag)));
  // Timestamps are stored as UTC ISO text, so a normalized bound compares as text.
  if (query.created_after) q = q.where("created", ">=", toUtcIso(query.created_after));
  if (query.created_before) q = q.where("created", "<", toUtcIso(query.created_before));
  if (query.expected_start_after) q = q.where("expected_start_time", ">=", toUtcIso(query.expected_start_after));
  if (query.expected_start_before) q = q.where("expected_start_time", "<", toUtcIso(query.expected_start_before));
  if (query.upcoming !== "include") {
    const now = toUtcIso(new Date().toISOString());
    q =
      query.upcoming === "only"
        ? q.where("state_type", "=", "SCHEDULED").where("expected_start_time", ">", now)
        : q.where((eb) => eb.or([eb("state_type", "!=", "SCHEDULED"), eb("expected_start_time", "is", null), eb("expected_start_time", "<=", now)]));
  }
  return q;
}

/**
 * Through an index (0012): on SQLite the trigger-kept `flow_run_tags` table, on PostgreSQL the
 * GIN index on the tags as jsonb, which the `@>` of jsonArrayContains uses.
 *
 * SQLite needs the plan chosen for it. A rare tag is best read from `flow_run_tags` and its few runs
 * sorted; a common one that way sorts every match (4.2 s for a third of 250,000 runs), when walking
 * runs newest first and probing each one's tag finds a page in milliseconds. As an IN, SQLite always
 * takes the first plan; as a correlated scalar subquery it takes the second (an EXISTS would build a
 * Bloom filter over the whole tag table first).
 */
function hasTag(database: BatonDatabase, tag: string, common: boolean): Expression<SqlBool> {
  if (database.kind !== "sqlite") return jsonArrayContains(database.kind, "flow_runs.tags", tag);
  if (common) return sql<SqlBool>`(select 1 from flow_run_tags where tag = ${tag} and flow_run_id = flow_runs.id limit 1) is not null`;
  return sql<SqlBool>`flow_runs.id in (select flow_run_id from flow_run_tags where tag = ${tag})`;
}

/** Past this many runs a tag's matches cost more to sort than runs cost to walk (bench/scale/reads.mjs). */
export const COMMON_TAG_RUNS = 2_000;

/** The tags carried by at least `atLeast` runs: counting stops there, so asking costs at most that many index entries. */
export async function commonTags(database: BatonDatabase, tags: readonly string[], atLeast: number): Promise<Set<string>> {
  const common = new Set<string>();
  for (const tag of tags) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from flow_run_tags where tag = ${tag} limit ${atLeast})`.execute(database.db);
    if (Number(rows[0]?.n ?? 0) >= atLeast) common.add(tag);
  }
  return common;
}
