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
  /** The current claim (null: none, the run is back in the queue or was never claimed). */
  claim_id: string | null;
  claim_key_id: string | null;
  lease_expiration: string | null;
  /** Why the claiming key no longer works (revoked, expired, deleted), or null when it does or there is none. */
  claim_key_unusable: string | null;
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
  const row = await database.db
    .selectFrom("flow_runs")
    .leftJoin("api_keys", "api_keys.id", "flow_runs.claim_key_id")
    .select([
      "flow_runs.id",
      "flow_runs.state_type",
      "flow_runs.end_time",
      "flow_runs.updated",
      "flow_runs.deployment_id",
      "flow_runs.parent_flow_run_id",
      "flow_runs.work_pool_name",
      "flow_runs.claim_id",
      "flow_runs.claim_key_id",
      "flow_runs.lease_expiration",
      "api_keys.id as key_id",
      "api_keys.name as key_name",
      "api_keys.revoked as key_revoked",
      "api_keys.expires as key_expires",
    ])
    .where("flow_runs.id", "=", flowRunId)
    .executeTakeFirst();
  let facts: RunFacts | undefined;
  if (row) {
    const { key_id, key_name, key_revoked, key_expires, ...run } = row;
    facts = { ...run, claim_key_unusable: keyUnusable(run.claim_key_id, { key_id, key_name, key_revoked, key_expires }, now) };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(flowRunId, { at: now, facts });
  return facts;
}

function keyUnusable(claimKeyId: string | null, key: { key_id: string | null; key_name: string | null; key_revoked: string | null; key_expires: string | null }, now: number): string | null {
  if (claimKeyId === null) return null;
  if (key.key_id === null) return "the API key that claimed it was deleted";
  if (key.key_revoked !== null) return `the API key "${key.key_name}" that claimed it was revoked at ${key.key_revoked}`;
  if (key.key_expires !== null && Date.parse(key.key_expires) <= now) return `the API key "${key.key_name}" that claimed it expired at ${key.key_expires}`;
  return null;
}

/** Forget one run's cached facts: a claim that signs the run's token just gave it a new claim. */
export function forgetRunFact(database: BatonDatabase, flowRunId: string): void {
  caches.get(database)?.delete(flowRunId);
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
