import { nextRunTimes } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { insertDeploymentRun } from "../deployments/insert-run.js";
import { readDeploymentRow, scheduleRowsOf } from "../deployments/read.js";
import { specOf, type DeploymentRow } from "../deployments/rows.js";
import { announceRuns } from "../dispatch/notifier.js";

/** How far ahead each active schedule is kept filled. */
export const SCHEDULE_AHEAD = { minRuns: 3, minSeconds: 3600, maxRuns: 100, maxSeconds: 100 * 86400 } as const;

/** The scheduler's key for a run: one run per schedule and time, whoever makes it and however often. */
export const scheduledRunKey = (scheduleId: string, time: Date): string => `scheduled:${scheduleId}:${time.toISOString()}`;

/** The times a schedule should have runs for: at least 3 runs and an hour ahead, at most 100 runs and 100 days. */
export function timesAhead(spec: Parameters<typeof nextRunTimes>[0], now: Date): Date[] {
  const until = new Date(now.getTime() + SCHEDULE_AHEAD.maxSeconds * 1000);
  const horizon = now.getTime() + SCHEDULE_AHEAD.minSeconds * 1000;
  return nextRunTimes(spec, now, until, SCHEDULE_AHEAD.maxRuns).filter((t, i) => i < SCHEDULE_AHEAD.minRuns || t.getTime() <= horizon);
}

interface PlannedRun {
  scheduleId: string;
  time: Date;
  key: string;
  parameters: Record<string, unknown>;
}

/** The runs a deployment's active schedules lack, read without taking the write lock. */
async function missingRuns(db: Kysely<Database>, deployment: DeploymentRow, now: Date): Promise<PlannedRun[]> {
  const schedules = ((await scheduleRowsOf(db, [deployment.id])).get(deployment.id) ?? []).filter((s) => s.active);
  const missing: PlannedRun[] = [];
  for (const schedule of schedules) {
    const spec = specOf(schedule);
    const planned = timesAhead(spec, now).map((time) => ({ scheduleId: schedule.id, time, key: scheduledRunKey(schedule.id, time), parameters: { ...fromJson<Record<string, unknown>>(deployment.parameters), ...spec.parameters } }));
    if (planned.length === 0) continue;
    const existing = new Set(
      (await db.selectFrom("flow_runs").select("idempotency_key").where("deployment_id", "=", deployment.id).where("idempotency_key", "in", planned.map((p) => p.key)).execute()).map((r) => r.idempotency_key),
    );
    missing.push(...planned.filter((p) => !existing.has(p.key)));
  }
  return missing;
}

/**
 * Fill one deployment's active schedules ahead. Idempotent: each run carries the key of its
 * schedule and time, and the insert does nothing on a key that exists, so a restart or a
 * second replica scheduling at the same moment never makes a duplicate. A pass with nothing
 * to add only reads (no write lock on SQLite). Returns the pool that got new runs (to wake
 * its workers) and how many.
 */
export async function fillDeploymentSchedules(database: BatonDatabase, deploymentId: string, now: Date): Promise<{ created: number; work_pool_name: string | null }> {
  const none = { created: 0, work_pool_name: null };
  const read = await readDeploymentRow(database.db, deploymentId).catch(() => undefined);
  if (!read || read.paused) return none;
  const missing = await missingRuns(database.db, read, now);
  if (missing.length === 0) return none;
  return database.transaction(async (trx) => {
    // Paused, changed or deleted since the read: its schedules are someone else's business now.
    const deployment = await readDeploymentRow(trx, deploymentId).catch(() => undefined);
    if (!deployment || deployment.paused || deployment.updated !== read.updated) return none;
    let created = 0;
    for (const run of missing) {
      const spec = { parameters: run.parameters, job_variables: null, tags: [], scheduledTime: run.time, idempotencyKey: run.key, scheduleId: run.scheduleId };
      if (await insertDeploymentRun(database, trx, deployment, spec, now)) created += 1;
    }
    if (created > 0) await announceRuns(database, trx, [deployment.work_pool_name]);
    return { created, work_pool_name: created > 0 ? deployment.work_pool_name : null };
  });
}

/** One scheduler pass over every unpaused deployment with an active schedule. */
export async function scheduleDeployments(database: BatonDatabase, now: Date, onRuns?: (pool: string | null) => void): Promise<number> {
  const ids = await database.db
    .selectFrom("deployments")
    .select("deployments.id")
    .where("paused", "=", 0)
    .where((eb) => eb.exists(eb.selectFrom("deployment_schedules").select("deployment_schedules.id").whereRef("deployment_schedules.deployment_id", "=", "deployments.id").where("deployment_schedules.active", "=", 1)))
    .execute();
  let created = 0;
  for (const { id } of ids) {
    const result = await fillDeploymentSchedules(database, id, now);
    created += result.created;
    if (result.created > 0) onRuns?.(result.work_pool_name);
  }
  return created;
}
