import { uuidv7 } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { specOf, type DeploymentRow, type ScheduleRow } from "../deployments/rows.js";
import { extendHorizon, type HorizonStep } from "./schedule-horizon.js";
import { writeSteps, type PlannedSchedule } from "./schedule-writes.js";
import { sliceYield } from "./yield.js";

export { SCHEDULE_AHEAD, timesAhead } from "./schedule-horizon.js";
export { scheduledRunKey } from "./schedule-writes.js";

/** A `fill_due` that no pass reaches: an inactive schedule or one of a paused deployment waits for a change to wake it. */
export const PARKED = "9999-12-31T23:59:59.999Z";
/** Schedules claimed at once; a claim is one short write. */
const CLAIM_BATCH = 100;
/** How long a claim holds a batch: a server that dies mid-batch leaves it to the others after this. */
const CLAIM_LEASE_MS = 60_000;

interface Claimed {
  token: string;
  schedules: ScheduleRow[];
  deployments: Map<string, DeploymentRow>;
}

/**
 * Take the given schedules for this pass: their `fill_due` moves a lease ahead and `fill_claim`
 * names the pass. On PostgreSQL a schedule another server is claiming is skipped (SKIP LOCKED),
 * so two replicas take different batches; on SQLite the write lock serialises the claims.
 */
async function claim(database: BatonDatabase, ids: string[], now: Date, options: { dueOnly: boolean }): Promise<Claimed> {
  const token = uuidv7(now.getTime());
  const leaseUntil = new Date(Date.now() + CLAIM_LEASE_MS).toISOString();
  return database.transaction(async (trx) => {
    const lockable = trx
      .selectFrom("deployment_schedules")
      .select("id")
      .where("id", "in", ids)
      .$if(options.dueOnly, (q) => q.where("fill_due", "<=", now.toISOString()))
      .$if(database.kind === "postgresql", (q) => (options.dueOnly ? q.forUpdate().skipLocked() : q.forUpdate()));
    const schedules = await trx
      .updateTable("deployment_schedules")
      .set({ fill_due: leaseUntil, fill_claim: token })
      .where("id", "in", lockable)
      .returningAll()
      .execute();
    const deploymentIds = [...new Set(schedules.map((s) => s.deployment_id))];
    const deployments = deploymentIds.length === 0 ? [] : await trx.selectFrom("deployments").selectAll().where("id", "in", deploymentIds).execute();
    return { token, schedules, deployments: new Map(deployments.map((d) => [d.id, d])) };
  });
}

/** The new times of each claimed schedule, computed outside any transaction, yielding the event loop every few milliseconds. */
async function plan(claimed: Claimed, now: Date): Promise<PlannedSchedule[]> {
  const out: PlannedSchedule[] = [];
  const slice = sliceYield();
  for (const schedule of claimed.schedules) {
    const deployment = claimed.deployments.get(schedule.deployment_id);
    let step: HorizonStep;
    if (!deployment || deployment.paused || !schedule.active) {
      step = { times: [], through: null, due: new Date(PARKED) };
    } else {
      const through = schedule.scheduled_through ? new Date(schedule.scheduled_through) : null;
      step = extendHorizon(specOf(schedule), now, through);
    }
    out.push({ schedule, deployment, step });
    await slice();
  }
  return out;
}

async function fillClaimed(database: BatonDatabase, claimed: Claimed, now: Date, onRuns?: (pool: string | null) => void): Promise<number> {
  if (claimed.schedules.length === 0) return 0;
  const planned = await plan(claimed, now);
  const result = await writeSteps(database, claimed.token, planned, now);
  for (const pool of result.pools) onRuns?.(pool);
  return result.created;
}

/** Due schedules in `fill_due` order, after the cursor (those skipped because another server holds them stay behind it). */
const dueIds = (db: Kysely<Database>, now: Date, after: { fill_due: string; id: string } | null) =>
  db
    .selectFrom("deployment_schedules")
    .select(["id", "fill_due"])
    .where("fill_due", "<=", now.toISOString())
    .$if(after !== null, (q) => q.where((eb) => eb.or([eb("fill_due", ">", after!.fill_due), eb.and([eb("fill_due", "=", after!.fill_due), eb("id", ">", after!.id)])])))
    .orderBy("fill_due")
    .orderBy("id")
    .limit(CLAIM_BATCH)
    .execute();

/** How many schedules are due at `now`, counted up to `limit` (an index range read). */
export async function countDue(db: Kysely<Database>, now: Date, limit: number): Promise<number> {
  const rows = await db.selectFrom("deployment_schedules").select("id").where("fill_due", "<=", now.toISOString()).limit(limit).execute();
  return rows.length;
}

/**
 * Claimed batches a PostgreSQL pass works on at once. Planning a batch is this process's work,
 * writing it the database's: two in flight keep both busy (a fill took their sum, not their
 * maximum). Claims already keep replicas apart, so lanes of one server need nothing more.
 * SQLite has one connection and one writer: one lane.
 */
export const POSTGRES_LANES = 2;

/**
 * One scheduler pass: only schedules whose `fill_due` has come (an index range read; nothing
 * else when none has), in claimed batches, each extended from where it stopped. One run per
 * schedule and time still rests on the run's key (ON CONFLICT DO NOTHING), whoever makes it.
 */
export async function scheduleDeployments(database: BatonDatabase, now: Date, onRuns?: (pool: string | null) => void): Promise<number> {
  let after: { fill_due: string; id: string } | null = null;
  let finished = false;
  // The lanes read the due list in turn, so each batch of ids goes to one lane.
  let reading: Promise<unknown> = Promise.resolve();
  const nextDue = (): Promise<{ id: string }[]> => {
    const next = reading.then(async () => {
      if (finished) return [];
      const due = await dueIds(database.db, now, after);
      if (due.length > 0) after = due.at(-1)!;
      if (due.length < CLAIM_BATCH) finished = true;
      return due;
    });
    reading = next.catch(() => undefined);
    return next;
  };
  const lane = async (): Promise<number> => {
    let created = 0;
    for (;;) {
      const due = await nextDue();
      if (due.length === 0) return created;
      created += await fillClaimed(database, await claim(database, due.map((d) => d.id), now, { dueOnly: true }), now, onRuns);
    }
  };
  const lanes = database.kind === "postgresql" ? POSTGRES_LANES : 1;
  // Settled, not all: a pass ends when every lane has stopped, even when one has failed.
  const results = await Promise.allSettled(Array.from({ length: lanes }, lane));
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.reduce((n, r) => n + (r.status === "fulfilled" ? r.value : 0), 0);
}

/**
 * Fill one deployment's active schedules now, whatever their `fill_due` (after it is written or
 * resumed, so that `baton deployment inspect` shows the coming runs at once). A pass holding one
 * of its schedules loses it: its write finds the claim gone and leaves the schedule alone.
 */
export async function fillDeploymentSchedules(database: BatonDatabase, deploymentId: string, now: Date): Promise<{ created: number; work_pool_name: string | null }> {
  const ids = (await database.db.selectFrom("deployment_schedules").select("id").where("deployment_id", "=", deploymentId).execute()).map((r) => r.id);
  if (ids.length === 0) return { created: 0, work_pool_name: null };
  const claimed = await claim(database, ids, now, { dueOnly: false });
  let pool: string | null = null;
  const created = await fillClaimed(database, claimed, now, (p) => (pool = p));
  return { created, work_pool_name: created > 0 ? pool : null };
}
