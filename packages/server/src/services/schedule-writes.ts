import type { State } from "@baton/core";
import { sql } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { FLOW_RUN_COLUMNS, flowRunValues } from "../db/columns.js";
import { deploymentRunRow } from "../deployments/insert-run.js";
import { specOf, type DeploymentRow, type ScheduleRow } from "../deployments/rows.js";
import { announceRuns } from "../wake-up/notifier.js";
import { FLOW_RUN_STATES, insertStates } from "../states/repository.js";
import type { HorizonStep } from "./schedule-horizon.js";
import { nextBatchSize, RUN_BATCH } from "./batch-size.js";
import { sliceYield, yieldToEventLoop } from "./yield.js";

/** The first batch of a database's first pass; later passes start from the size the last one reached. */
const INITIAL_BATCH = RUN_BATCH.min;
const batchSize = new WeakMap<BatonDatabase, number>();

/** The scheduler's key for a run: one run per schedule and time, whoever makes it and however often. */
export const scheduledRunKey = (scheduleId: string, time: Date): string => `scheduled:${scheduleId}:${time.toISOString()}`;

export interface PlannedSchedule {
  schedule: ScheduleRow;
  deployment: DeploymentRow | undefined;
  step: HorizonStep;
}

/** A schedule's runs, built before their transaction so that the write lock is held for writing only. */
interface ScheduleRuns {
  planned: PlannedSchedule;
  runs: { values: unknown[]; id: string; state: State; pool: string | null }[];
}

/** Group schedules so that a transaction holds about `size` runs (a schedule's runs stay together). */
function nextGroup(planned: readonly PlannedSchedule[], from: number, size: number): PlannedSchedule[] {
  const group: PlannedSchedule[] = [];
  let runs = 0;
  for (let i = from; i < planned.length; i++) {
    const p = planned[i]!;
    if (group.length > 0 && runs + p.step.times.length > size) break;
    group.push(p);
    runs += p.step.times.length;
  }
  return group;
}

function runsOf(p: PlannedSchedule, now: Date): ScheduleRuns {
  if (!p.deployment || p.step.times.length === 0) return { planned: p, runs: [] };
  const spec = specOf(p.schedule);
  const parameters = { ...fromJson<Record<string, unknown>>(p.deployment.parameters), ...spec.parameters };
  const runs = p.step.times.map((time) => {
    const { row, state } = deploymentRunRow(p.deployment!, { parameters, job_variables: null, tags: [], scheduledTime: time, idempotencyKey: scheduledRunKey(p.schedule.id, time), scheduleId: p.schedule.id }, now);
    return { values: flowRunValues(row), id: row.id, state, pool: row.work_pool_name };
  });
  return { planned: p, runs };
}

/**
 * Write the planned runs and the schedules' new horizons, a batch per transaction sized to hold
 * the write lock briefly (batch-size.ts), with a yield in between. Only schedules this pass still
 * holds (`fill_claim` = token) are written: a change, pause or deployment fill since the claim
 * took them back. Runs that meet a key already made are skipped; only the runs really inserted
 * get their first state.
 */
export async function writeSteps(database: BatonDatabase, token: string, planned: readonly PlannedSchedule[], now: Date): Promise<{ created: number; pools: Set<string | null> }> {
  let created = 0;
  const pools = new Set<string | null>();
  let size = batchSize.get(database) ?? INITIAL_BATCH;
  for (let from = 0; from < planned.length; ) {
    // Built a batch at a time: a claim's thousands of rows at once were most of a fill's heap. A
    // batch's rows take as long to build as to write, so they are built in slices too: the API
    // waits for one slice or one transaction, never both.
    const group: ScheduleRuns[] = [];
    const slice = sliceYield();
    for (const p of nextGroup(planned, from, size)) {
      group.push(runsOf(p, now));
      await slice();
    }
    from += group.length;
    await yieldToEventLoop();
    const started = performance.now();
    const inserted = await database.transaction(async (trx) => {
      // Scheduled runs lost with a crashed PostgreSQL are made again by the next pass (the horizon
      // goes with them, in this transaction), so these commits need not wait for the disk.
      if (database.kind === "postgresql") await sql`set local synchronous_commit = off`.execute(trx);
      const held = new Set(
        (
          await trx
            .selectFrom("deployment_schedules")
            .select("id")
            .where("id", "in", group.map((g) => g.planned.schedule.id))
            .where("fill_claim", "=", token)
            .$if(database.kind === "postgresql", (q) => q.forUpdate())
            .execute()
        ).map((r) => r.id),
      );
      const mine = group.filter((g) => held.has(g.planned.schedule.id));
      const runs = mine.flatMap((g) => g.runs);
      const ids = await database.bulk.insertNew(trx, "flow_runs", FLOW_RUN_COLUMNS, runs.map((r) => r.values), ["deployment_id", "idempotency_key"]);
      const fresh = runs.filter((r) => ids.has(r.id));
      for (const r of fresh) pools.add(r.pool);
      await insertStates(database, trx, FLOW_RUN_STATES, fresh.map((r) => ({ ownerId: r.id, state: r.state })));
      await database.bulk.update(
        trx,
        "deployment_schedules",
        [{ name: "id", type: "text" }, { name: "scheduled_through", type: "text" }, { name: "fill_due", type: "text" }, { name: "fill_claim", type: "text" }],
        mine.map((g) => [g.planned.schedule.id, g.planned.step.through?.toISOString() ?? null, g.planned.step.due.toISOString(), null]),
      );
      if (fresh.length > 0) await announceRuns(database, trx, [...new Set(fresh.map((r) => r.pool))]);
      return fresh.length;
    });
    created += inserted;
    size = nextBatchSize(size, group.reduce((n, g) => n + g.runs.length, 0), performance.now() - started);
    batchSize.set(database, size);
    await yieldToEventLoop();
  }
  return { created, pools };
}
