import type { State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { FlowRunTable } from "../db/schema.js";
import { deploymentRunRow } from "../deployments/insert-run.js";
import { specOf, type DeploymentRow, type ScheduleRow } from "../deployments/rows.js";
import { announceRuns } from "../wake-up/notifier.js";
import { FLOW_RUN_STATES, insertStates } from "../states/repository.js";
import type { HorizonStep } from "./schedule-horizon.js";
import { yieldToEventLoop } from "./yield.js";

/** The scheduler's key for a run: one run per schedule and time, whoever makes it and however often. */
export const scheduledRunKey = (scheduleId: string, time: Date): string => `scheduled:${scheduleId}:${time.toISOString()}`;

export interface PlannedSchedule {
  schedule: ScheduleRow;
  deployment: DeploymentRow | undefined;
  step: HorizonStep;
}

/** Runs per write transaction: a bounded hold of SQLite's write lock (tens of milliseconds). */
const RUNS_PER_TRANSACTION = 250;
/** Rows per INSERT statement: far below both databases' bound-parameter limits (about 40 columns a run). */
const RUNS_PER_STATEMENT = 100;

/** Group schedules so that a transaction holds at most RUNS_PER_TRANSACTION runs (a schedule's runs stay together). */
function transactions(planned: readonly PlannedSchedule[]): PlannedSchedule[][] {
  const groups: PlannedSchedule[][] = [];
  let current: PlannedSchedule[] = [];
  let runs = 0;
  for (const p of planned) {
    if (current.length > 0 && runs + p.step.times.length > RUNS_PER_TRANSACTION) {
      groups.push(current);
      current = [];
      runs = 0;
    }
    current.push(p);
    runs += p.step.times.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function runRows(p: PlannedSchedule, now: Date): { row: FlowRunTable; state: State }[] {
  if (!p.deployment || p.step.times.length === 0) return [];
  const spec = specOf(p.schedule);
  const parameters = { ...fromJson<Record<string, unknown>>(p.deployment.parameters), ...spec.parameters };
  return p.step.times.map((time) =>
    deploymentRunRow(p.deployment!, { parameters, job_variables: null, tags: [], scheduledTime: time, idempotencyKey: scheduledRunKey(p.schedule.id, time), scheduleId: p.schedule.id }, now),
  );
}

/**
 * Write the planned runs and the schedules' new horizons, a bounded batch per transaction with a
 * yield in between. Only schedules this pass still holds (`fill_claim` = token) are written: a
 * change, pause or deployment fill since the claim took them back. Runs go in with multi-row
 * inserts that skip a key already made; only the runs really inserted get their first state.
 */
export async function writeSteps(database: BatonDatabase, token: string, planned: readonly PlannedSchedule[], now: Date): Promise<{ created: number; pools: Set<string | null> }> {
  let created = 0;
  const pools = new Set<string | null>();
  for (const group of transactions(planned)) {
    created += await database.transaction(async (trx) => {
      const held = new Set(
        (
          await trx
            .selectFrom("deployment_schedules")
            .select("id")
            .where("id", "in", group.map((p) => p.schedule.id))
            .where("fill_claim", "=", token)
            .$if(database.kind === "postgresql", (q) => q.forUpdate())
            .execute()
        ).map((r) => r.id),
      );
      const mine = group.filter((p) => held.has(p.schedule.id));
      const rows = mine.flatMap((p) => runRows(p, now));
      let inserted = 0;
      const states: { ownerId: string; state: State }[] = [];
      for (let start = 0; start < rows.length; start += RUNS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + RUNS_PER_STATEMENT);
        const ids = await trx
          .insertInto("flow_runs")
          .values(chunk.map((r) => r.row))
          .onConflict((oc) => oc.columns(["deployment_id", "idempotency_key"]).doNothing())
          .returning(["id", "work_pool_name"])
          .execute();
        const byId = new Map(chunk.map((r) => [r.row.id, r.state]));
        for (const { id, work_pool_name } of ids) {
          states.push({ ownerId: id, state: byId.get(id)! });
          pools.add(work_pool_name);
        }
        inserted += ids.length;
      }
      await insertStates(database, trx, FLOW_RUN_STATES, states);
      await database.bulk.update(
        trx,
        "deployment_schedules",
        [{ name: "id", type: "text" }, { name: "scheduled_through", type: "text" }, { name: "fill_due", type: "text" }, { name: "fill_claim", type: "text" }],
        mine.map((p) => [p.schedule.id, p.step.through?.toISOString() ?? null, p.step.due.toISOString(), null]),
      );
      if (inserted > 0) await announceRuns(database, trx, [...pools]);
      return inserted;
    });
    await yieldToEventLoop();
  }
  return { created, pools };
}
