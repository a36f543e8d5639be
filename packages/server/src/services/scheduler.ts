import { nextRunTimes } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { insertDeploymentRun } from "../deployments/insert-run.js";
import { readDeploymentRow, scheduleRowsOf } from "../deployments/read.js";
import { specOf } from "../deployments/rows.js";
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

/**
 * Fill one deployment's active schedules ahead. Idempotent: each run carries the key of its
 * schedule and time, and the insert does nothing on a key that exists, so a restart or a
 * second replica scheduling at the same moment never makes a duplicate. Returns the pool
 * that got new runs (to wake its workers) and how many.
 */
export async function fillDeploymentSchedules(database: BatonDatabase, deploymentId: string, now: Date): Promise<{ created: number; work_pool_name: string | null }> {
  return database.transaction(async (trx) => {
    const deployment = await readDeploymentRow(trx, deploymentId).catch(() => undefined);
    if (!deployment || deployment.paused) return { created: 0, work_pool_name: null };
    const schedules = ((await scheduleRowsOf(trx, [deploymentId])).get(deploymentId) ?? []).filter((s) => s.active);
    let created = 0;
    for (const schedule of schedules) {
      const spec = specOf(schedule);
      const times = timesAhead(spec, now);
      if (times.length === 0) continue;
      const keys = times.map((t) => scheduledRunKey(schedule.id, t));
      const existing = new Set(
        (await trx.selectFrom("flow_runs").select("idempotency_key").where("deployment_id", "=", deploymentId).where("idempotency_key", "in", keys).execute()).map((r) => r.idempotency_key),
      );
      const parameters = { ...fromJson<Record<string, unknown>>(deployment.parameters), ...spec.parameters };
      for (const [i, time] of times.entries()) {
        if (existing.has(keys[i]!)) continue;
        const row = await insertDeploymentRun(database, trx, deployment, { parameters, job_variables: null, tags: [], scheduledTime: time, idempotencyKey: keys[i]!, scheduleId: schedule.id }, now);
        if (row) created += 1;
      }
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
