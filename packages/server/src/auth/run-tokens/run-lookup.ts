import type { StateType } from "@baton/core";
import type { BatonDatabase } from "../../db/open.js";

/** What a run token's checks need of a flow run. */
export interface RunFacts {
  id: string;
  state_type: StateType;
  /** When the run reached its final state (or null while it runs). */
  end_time: string | null;
  updated: string;
  deployment_id: string | null;
  parent_flow_run_id: string | null;
  work_pool_name: string | null;
}

/**
 * A run's requests each check its token: the facts are cached for a moment so a run that
 * reports a thousand task runs a second does not read its own row a thousand times. A state
 * change is seen at most CACHE_MS late; parents never change.
 */
const CACHE_MS = 1_000;
const CACHE_LIMIT = 10_000;
const caches = new WeakMap<BatonDatabase, Map<string, { at: number; facts: RunFacts | undefined }>>();

export async function runFacts(database: BatonDatabase, flowRunId: string, options: { fresh?: boolean } = {}): Promise<RunFacts | undefined> {
  let cache = caches.get(database);
  if (!cache) caches.set(database, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(flowRunId);
  if (hit && !options.fresh && now - hit.at < CACHE_MS) return hit.facts;
  const facts = await database.db
    .selectFrom("flow_runs")
    .select(["id", "state_type", "end_time", "updated", "deployment_id", "parent_flow_run_id", "work_pool_name"])
    .where("id", "=", flowRunId)
    .executeTakeFirst();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(flowRunId, { at: now, facts });
  return facts;
}

/** Forget what is cached (a test that changes a run's state behind the server's back). */
export function forgetRunFacts(database: BatonDatabase): void {
  caches.delete(database);
}

/** Subflows nest; a chain this deep is a loop or an attack, not a flow. */
const MAX_DEPTH = 64;

/**
 * Whether `flowRunId` is the token's run or one of its subflow runs (a subflow's
 * parent_flow_run_id chain reaches the token's run): a flow that calls another flow records
 * the child with the parent's credential.
 */
export async function isRunInScope(database: BatonDatabase, rootId: string, flowRunId: string): Promise<boolean> {
  let current: string | null = flowRunId;
  for (let depth = 0; current !== null && depth < MAX_DEPTH; depth++) {
    if (current === rootId) return true;
    const facts: RunFacts | undefined = await runFacts(database, current);
    current = facts?.parent_flow_run_id ?? null;
  }
  return false;
}

/** The flow run a task run belongs to, or undefined when there is no such task run. */
export async function taskRunOwner(database: BatonDatabase, taskRunId: string): Promise<string | undefined> {
  const row = await database.db.selectFrom("task_runs").select("flow_run_id").where("id", "=", taskRunId).executeTakeFirst();
  return row?.flow_run_id;
}
