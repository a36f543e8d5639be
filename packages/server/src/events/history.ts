import type { EventHistoryQuerySchema, FlowRunEvent, Page } from "@baton/core";
import type { Kysely, SelectQueryBuilder } from "kysely";
import type { z } from "zod";
import { isLimited, runVisibleTo } from "../auth/key-limits.js";
import type { Principal } from "../auth/principal.js";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import type { Database } from "../db/schema.js";
import { toUtcIso } from "../orchestration/states.js";

export type EventHistoryQuery = z.output<typeof EventHistoryQuerySchema>;

/**
 * How many of the newest states SQLite looks through first when the filters are on the run (pool,
 * deployment, flow, a limited key). Its planner, without PostgreSQL's statistics, starts from
 * the run index of a pool and sorts every state of its runs (128 ms for a pool with a quarter of
 * 100,000 states); walking the time index and keeping the matches needs limit / share states. So
 * the walk goes first, bounded, and only a filter too rare for it to fill the page is left to
 * the planner (whose run index then finds few runs).
 */
const SQLITE_WALK = 2000;

type StatesQuery = SelectQueryBuilder<Database, "flow_run_states", Database["flow_run_states"]>;

/**
 * Flow-run state changes across runs, newest first: the live stream's `flow_run` events, read
 * back from the state history. Keyset on the state's (timestamp, id): many states share a
 * millisecond (a claim moves a batch of runs at once), so the id breaks ties and a page boundary
 * inside one millisecond neither repeats nor skips a state. The walk follows 0025's index
 * (timestamp, id), or the history's primary key (flow_run_id, timestamp, id) for one run; a
 * limited key's condition is in the query, so its pages come out full.
 */
export async function listEventHistory(database: BatonDatabase, query: EventHistoryQuery, principal: Principal | undefined): Promise<Page<FlowRunEvent>> {
  const db = database.db;
  const byRun = Boolean(query.flow_id || query.deployment_id || query.work_pool_name || (principal && isLimited(principal)));
  const toPage = (rows: FlowRunEvent[]) => pageFrom(rows, query.limit, (row) => ({ ...row }), (row) => [row.timestamp, row.state_id]);
  if (database.kind === "sqlite" && byRun && !query.flow_run_id) {
    const walked = states(db, query).orderBy("timestamp", "desc").orderBy("id", "desc").limit(SQLITE_WALK);
    const rows = await joined(db.selectFrom(walked.as("state")), query, principal).execute();
    // A full page from the walk is the answer; so is any page when the walk reached the end.
    if (rows.length > query.limit) return toPage(rows);
    const beyond = await states(db, query).select("id").orderBy("timestamp", "desc").orderBy("id", "desc").offset(SQLITE_WALK - 1).limit(1).executeTakeFirst();
    if (!beyond) return toPage(rows);
  }
  return toPage(await joined(db.selectFrom(states(db, query).as("state")), query, principal).execute());
}

/** The states the query's time range and cursor allow, of its run when it names one. */
function states(db: Kysely<Database>, query: EventHistoryQuery): StatesQuery {
  let q = db.selectFrom("flow_run_states").selectAll();
  if (query.flow_run_id) q = q.where("flow_run_id", "=", query.flow_run_id);
  if (query.since) q = q.where("timestamp", ">=", toUtcIso(query.since));
  if (query.until) q = q.where("timestamp", "<", toUtcIso(query.until));
  if (query.cursor) {
    const [timestamp, id] = decodeCursor(query.cursor, 2) as [string, string];
    // The `<=` alone is what an index range can start from; the OR then drops the page's own millisecond's rest.
    q = q.where("timestamp", "<=", timestamp).where((eb) => eb.or([eb("timestamp", "<", timestamp), eb("id", "<", id)]));
  }
  return q;
}

/** States (`state`) with their run's names, filtered by run and by what the key may see, newest first. */
function joined(from: SelectQueryBuilder<Database & { state: Database["flow_run_states"] }, "state", {}>, query: EventHistoryQuery, principal: Principal | undefined) {
  let q = from
    .innerJoin("flow_runs as run", "run.id", "state.flow_run_id")
    .select([
      "state.id as state_id",
      "state.flow_run_id as id",
      "state.type as state_type",
      "state.name as state_name",
      "state.timestamp as timestamp",
      "run.flow_id as flow_id",
      "run.flow_name as flow_name",
      "run.deployment_name as deployment_name",
      "run.deployment_id as deployment_id",
      "run.work_pool_name as work_pool_name",
    ]);
  if (query.flow_id) q = q.where("run.flow_id", "=", query.flow_id);
  if (query.deployment_id) q = q.where("run.deployment_id", "=", query.deployment_id);
  if (query.work_pool_name) q = q.where("run.work_pool_name", "=", query.work_pool_name);
  if (principal && isLimited(principal)) q = q.where((eb) => runVisibleTo(eb, principal));
  return q.orderBy("state.timestamp", "desc").orderBy("state.id", "desc").limit(query.limit + 1);
}
