import type { BatonDatabase } from "../../db/open.js";
import { isRunInScope } from "./run-lookup.js";

/** Task run id -> the flow run it belongs to, for the ids that exist; looked up in chunks a database accepts. */
export async function taskRunOwners(database: BatonDatabase, ids: Iterable<string>): Promise<Map<string, string>> {
  const all = [...new Set(ids)];
  const owners = new Map<string, string>();
  for (let i = 0; i < all.length; i += 1000) {
    const rows = await database.db.selectFrom("task_runs").select(["id", "flow_run_id"]).where("id", "in", all.slice(i, i + 1000)).execute();
    for (const row of rows) owners.set(row.id, row.flow_run_id);
  }
  return owners;
}

/** Whether every one of these flow runs is the token's run or one of its subflow runs. */
export async function allRunsInScope(database: BatonDatabase, rootId: string, flowRunIds: Iterable<string>): Promise<boolean> {
  for (const id of new Set(flowRunIds)) if (!(await isRunInScope(database, rootId, id))) return false;
  return true;
}

/**
 * Task runs named by a request: those that exist must belong to a run in scope; those that do not
 * may be used only when this same request creates them (`created`) in a run in scope.
 */
export async function taskRunsInScope(database: BatonDatabase, rootId: string, ids: Iterable<string>, created: ReadonlySet<string> = new Set()): Promise<boolean> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return true;
  const owners = await taskRunOwners(database, wanted);
  for (const id of wanted) if (!owners.has(id) && !created.has(id)) return false;
  return allRunsInScope(database, rootId, owners.values());
}

/** Ids a request wants to create must be new, or already belong to a run in scope (an idempotent retry). */
export async function newOrOwnFlowRun(database: BatonDatabase, rootId: string, id: string | undefined): Promise<boolean> {
  if (!id) return true;
  const existing = await database.db.selectFrom("flow_runs").select("id").where("id", "=", id).executeTakeFirst();
  return !existing || isRunInScope(database, rootId, id);
}
