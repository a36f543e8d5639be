import { isTerminal, type State } from "@baton/core";
import type { CurrentStateColumns } from "../db/schema.js";

export type RunTiming = Pick<CurrentStateColumns, "run_count" | "expected_start_time" | "start_time" | "end_time">;

/**
 * A run's timing once `state` is stored: run_count counts RUNNING states, start_time is the
 * first RUNNING, end_time is set by a terminal state (and cleared when an explicit retry
 * leaves it), expected_start_time is the first time the run was due.
 */
export function advanceTiming(run: RunTiming, state: State): RunTiming {
  const running = state.type === "RUNNING";
  return {
    run_count: run.run_count + (running ? 1 : 0),
    expected_start_time: run.expected_start_time ?? (state.type === "SCHEDULED" ? state.state_details.scheduled_time : undefined) ?? state.timestamp,
    start_time: run.start_time ?? (running ? state.timestamp : null),
    end_time: isTerminal(state.type) ? state.timestamp : null,
  };
}

/** The current-state columns of a run whose latest state is `state`, with `timing` already advanced to it. */
export function stateColumns(timing: RunTiming, state: State, now: Date | string): CurrentStateColumns {
  // A plain literal, no spread: this runs once per task run of every report.
  return {
    run_count: timing.run_count,
    expected_start_time: timing.expected_start_time,
    start_time: timing.start_time,
    end_time: timing.end_time,
    state_id: state.id,
    state_type: state.type,
    state_name: state.name,
    state: JSON.stringify(state),
    next_scheduled_time: state.type === "SCHEDULED" ? (state.state_details.scheduled_time ?? null) : null,
    updated: typeof now === "string" ? now : now.toISOString(),
  };
}

/** The current-state columns of a run once `state` is stored. */
export function currentStateColumns(run: RunTiming, state: State, now: Date): CurrentStateColumns {
  return stateColumns(advanceTiming(run, state), state, now);
}
