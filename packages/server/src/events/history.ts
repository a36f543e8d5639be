import type { EventHistoryQuerySchema, FlowRunEvent, Page } from "@baton/core";
import type { z } from "zod";
import { isLimited, runVisibleTo } from "../auth/key-limits.js";
import type { Principal } from "../auth/principal.js";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { toUtcIso } from "../orchestration/states.js";

export type EventHistoryQuery = z.output<typeof EventHistoryQuerySchema>;

/**
 * Flow-run state changes across runs, newest first: the live stream's `flow_run` events, read
 * back from the state history. Keyset on the state's (timestamp, id): many states share a
 * millisecond (a claim moves a batch of runs at once), so the id breaks ties and a page boundary
 * inside one millisecond neither repeats nor skips a state. The walk follows 0025's index
 * (timestamp, id), or the history's primary key (flow_run_id, timestamp, id) for one run; a
 * limited key's condition is in the query, so its pages come out full.
 */
export async function listEventHistory(database: BatonDatabase, query: EventHistoryQuery, principal: Principal | undefined): Promise<Page<FlowRunEvent>> {
  let q = database.db
    .selectFrom("flow_run_states as state")
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
  if (query.flow_run_id) q = q.where("state.flow_run_id", "=", query.flow_run_id);
  if (query.flow_id) q = q.where("run.flow_id", "=", query.flow_id);
  if (query.deployment_id) q = q.where("run.deployment_id", "=", query.deployment_id);
  if (query.work_pool_name) q = q.where("run.work_pool_name", "=", query.work_pool_name);
  if (query.since) q = q.where("state.timestamp", ">=", toUtcIso(query.since));
  if (query.until) q = q.where("state.timestamp", "<", toUtcIso(query.until));
  if (principal && isLimited(principal)) q = q.where((eb) => runVisibleTo(eb, principal));
  if (query.cursor) {
    const [timestamp, id] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("state.timestamp", "<", timestamp), eb.and([eb("state.timestamp", "=", timestamp), eb("state.id", "<", id)])]));
  }
  const rows = await q.orderBy("state.timestamp", "desc").orderBy("state.id", "desc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, (row) => ({ ...row }), (row) => [row.timestamp, row.state_id]);
}
