import type { RunReportResult, RunReportSchema, State } from "@baton/core";
import type { z } from "zod";
import { fromJson } from "../db/rows.js";
import type { CurrentStateColumns } from "../db/schema.js";
import { advanceTiming, stateColumns, type RunTiming } from "../orchestration/apply.js";
import { orchestrate } from "../orchestration/policy.js";
import { stateFromCreate } from "../orchestration/states.js";
import { taskRunBase, taskRunRow, type TaskRunBase, type TaskRunRow } from "../task-runs/rows.js";

const REPORTED_CLOCK_TOLERANCE_MS = 1000;

export type Report = z.output<typeof RunReportSchema>;

/** What a report needs to know of a task run that exists already. */
export type KnownTaskRun = RunTiming & { id: string; state: string };

interface Working {
  /** Set for a task run this report creates. */
  base: TaskRunBase | null;
  timing: RunTiming;
  current: State | null;
  changed: boolean;
}

export interface ReportPlan {
  /** New task runs, whole rows. */
  inserts: TaskRunRow[];
  /** Known task runs whose current state changed. */
  updates: (CurrentStateColumns & { id: string })[];
  states: { ownerId: string; state: State }[];
  created: number;
  accepted: number;
  rejected: RunReportResult["rejected"];
}

/**
 * Decide, in memory, what a report changes: which task runs are new, which transitions the
 * rules accept (the same rules as set_state, without turning FAILED into AwaitingRetry: the
 * engine decides retries itself), and each task run's final current state. The caller writes
 * it all in a few multi-row statements.
 */
export function planReport(report: Report, known: readonly KnownTaskRun[], now: Date): ReportPlan {
  const runs = new Map<string, Working>();
  for (const row of known) runs.set(row.id, { base: null, timing: row, current: fromJson<State>(row.state), changed: false });
  let created = 0;
  for (const input of report.task_runs) {
    if (runs.has(input.id)) continue; // sent again (a retried request): keep the first
    const base = taskRunBase(input, now);
    runs.set(input.id, { base, timing: base, current: null, changed: true });
    created += 1;
  }

  const states: ReportPlan["states"] = [];
  const rejected: ReportPlan["rejected"] = [];
  let accepted = 0;
  for (const { task_run_id, state: proposal } of report.task_run_states) {
    const run = runs.get(task_run_id);
    if (!run) {
      rejected.push({ task_run_id, reason: `no task run with ID "${task_run_id}"; report the task run (task_runs) with or before its states` });
      continue;
    }
    const proposed = stateFromCreate(proposal, now);
    // Reports arrive in batches after the fact: compare scheduled times with when the state
    // happened, allowing for the engine's timers waking a little before its wall clock says so.
    const decision = orchestrate(
      { state: run.current, run_count: run.timing.run_count, retries: 0, retry_delay_seconds: 0 },
      proposed,
      {
        // Only a SCHEDULED run has a time to compare with; parse the timestamp only then.
        now: run.current?.type === "SCHEDULED" ? new Date(proposed.timestamp) : now,
        force: false,
        convertRetries: false,
        scheduledToleranceMs: REPORTED_CLOCK_TOLERANCE_MS,
      },
    );
    if (decision.status === "ACCEPT") accepted += 1;
    else rejected.push({ task_run_id, reason: `${proposed.type} refused (${decision.status}): ${decision.reason}` });
    const stored = decision.status === "ACCEPT" || decision.status === "REJECT" ? decision.state : null;
    if (!stored) continue;
    run.timing = advanceTiming(run.timing, stored);
    run.current = stored;
    run.changed = true;
    states.push({ ownerId: task_run_id, state: stored });
  }

  const inserts: ReportPlan["inserts"] = [];
  const updates: ReportPlan["updates"] = [];
  const updated = now.toISOString();
  for (const [id, run] of runs) {
    if (!run.changed) continue;
    if (run.current === null) {
      // A new task run reported without a state starts PENDING, like one made by POST /task_runs.
      run.current = stateFromCreate({ type: "PENDING" }, now);
      run.timing = advanceTiming(run.timing, run.current);
      states.push({ ownerId: id, state: run.current });
    }
    const columns = stateColumns(run.timing, run.current, updated);
    if (run.base) inserts.push(taskRunRow(run.base, columns));
    else updates.push(Object.assign(columns, { id }));
  }
  return { inserts, updates, states, created, accepted, rejected };
}
