import type { FlowRun, FlowRunListQuerySchema, Page } from "@baton/core";
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { jsonArrayContains, splitStateFilter } from "../db/filters.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import type { Database } from "../db/schema.js";
import { toUtcIso } from "../orchestration/states.js";
import { toFlowRun, type FlowRunRow } from "./repository.js";

export type FlowRunListQuery = z.output<typeof FlowRunListQuerySchema>;
type RunQuery = SelectQueryBuilder<Database, "flow_runs", FlowRunRow>;

/**
 * A page of runs, newest first (keyset on created, id). Each filter has an index that ends in
 * (created, id) (0001, 0004), so a page is a short index range read however many runs there are.
 * Several states at once (`FAILED,CRASHED`) would make the database sort every matching run
 * (one index range per state, not in created order): instead each state gets its own
 * limit+1 query in index order and the pages are merged here.
 */
export async function listFlowRuns(database: BatonDatabase, query: FlowRunListQuery): Promise<Page<FlowRun>> {
  const desc = query.sort === "created_desc";
  const direction = desc ? "desc" : "asc";
  const base = filtered(database, query);
  const page = (q: RunQuery) => q.orderBy("created", direction).orderBy("id", direction).limit(query.limit + 1).execute();
  const { types, names } = splitStateFilter(query.state ?? []);
  let rows: FlowRunRow[];
  if (types.length + names.length <= 1) {
    rows = await page(types[0] ? base.where("state_type", "=", types[0]) : names[0] ? base.where("state_name", "=", names[0]) : base);
  } else {
    const pages = await Promise.all([...types.map((t) => page(base.where("state_type", "=", t))), ...names.map((n) => page(base.where("state_name", "=", n)))]);
    const byId = new Map(pages.flat().map((row) => [row.id, row])); // a run can match a type and a name
    const order = (a: FlowRunRow, b: FlowRunRow) => (a.created === b.created ? (a.id < b.id ? -1 : 1) : a.created < b.created ? -1 : 1);
    rows = [...byId.values()].sort((a, b) => (desc ? order(b, a) : order(a, b))).slice(0, query.limit + 1);
  }
  return pageFrom(rows, query.limit, toFlowRun, (row) => [row.created, row.id]);
}

function filtered(database: BatonDatabase, query: FlowRunListQuery): RunQuery {
  let q = database.db.selectFrom("flow_runs").selectAll();
  if (query.flow_name) q = q.where("flow_name", "=", query.flow_name);
  if (query.flow_id) q = q.where("flow_id", "=", query.flow_id);
  if (query.parent_flow_run_id) q = q.where("parent_flow_run_id", "=", query.parent_flow_run_id);
  if (query.deployment_id) q = q.where("deployment_id", "=", query.deployment_id);
  if (query.work_pool_name) q = q.where("work_pool_name", "=", query.work_pool_name);
  for (const tag of query.tag ?? []) q = q.where(hasTag(database, tag));
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
  if (query.cursor) {
    const [created, id] = decodeCursor(query.cursor, 2) as [string, string];
    const op = query.sort === "created_desc" ? "<" : ">";
    q = q.where((eb) => eb.or([eb("created", op, created), eb.and([eb("created", "=", created), eb("id", op, id)])]));
  }
  return q;
}

/**
 * Tags have no index: a rare tag means reading every run. A LIKE on the JSON text (the tag as
 * JSON writes it, quotes included) rejects most rows at a fraction of the cost of parsing their
 * JSON; the exact JSON test then confirms the few that pass.
 */
function hasTag(database: BatonDatabase, tag: string): Expression<SqlBool> {
  const pattern = `%${JSON.stringify(tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`(tags like ${pattern} escape '\\' and ${jsonArrayContains(database.kind, "tags", tag)})`;
}
