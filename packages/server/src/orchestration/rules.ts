import { STATE_NAMES, defaultStateName, isTerminal, uuidv7, type State } from "@baton/core";
import { retryDelaySeconds } from "./retry.js";

/** What the rules need to know about a run. */
export interface RunForRules {
  /** null while the run is being created: its first state is always accepted. */
  state: State | null;
  run_count: number;
  retries: number;
  retry_delay_seconds: number | readonly number[];
}

export interface RuleOptions {
  /** The time the rules compare scheduled times with. */
  now: Date;
  /** An explicit retry or repair: the rules step aside. */
  force: boolean;
  /**
   * Turn a FAILED with retries left into AwaitingRetry. Off for task runs reported by the
   * in-process engine, which decides retries itself and reports AwaitingRetry/Retrying.
   */
  convertRetries: boolean;
  /** How early a RUNNING may be and still count as on time (clock jitter of a reporting engine); default 0. */
  scheduledToleranceMs?: number;
}

export type Decision =
  | { status: "ACCEPT"; state: State }
  /** `state`: what is stored instead of the proposal; null: the run keeps its current state. */
  | { status: "REJECT"; state: State | null; reason: string }
  | { status: "WAIT"; delaySeconds: number; reason: string }
  | { status: "ABORT"; reason: string };

/**
 * Prefect's orchestration in one pure function: accept, reject, delay or abort a proposed
 * state for a run in its current state. The caller stores the outcome.
 */
export function orchestrate(run: RunForRules, proposed: State, options: RuleOptions): Decision {
  const current = run.state;
  if (options.force || current === null) return { status: "ACCEPT", state: proposed };

  if (isTerminal(current.type)) {
    return {
      status: "ABORT",
      reason: `the run is already ${current.type} and terminal states are final; retry it explicitly (force) to run it again`,
    };
  }

  if (current.type === "CANCELLING") {
    if (proposed.type === "CANCELLED") return { status: "ACCEPT", state: proposed };
    if (isTerminal(proposed.type)) {
      return {
        status: "REJECT",
        state: {
          ...proposed,
          id: uuidv7(),
          type: "CANCELLED",
          name: defaultStateName("CANCELLED"),
          message: `the run was being cancelled when it ended ${proposed.type}${proposed.message ? `: ${proposed.message}` : ""}`,
          state_details: { ...proposed.state_details, replaced_proposed: proposed.type },
        },
        reason: `the run is being cancelled; its ${proposed.type} is recorded as CANCELLED`,
      };
    }
    return { status: "REJECT", state: null, reason: `the run is being cancelled; ${proposed.type} is not allowed, only an end (CANCELLED)` };
  }

  if ((proposed.type === "PENDING" && (current.type === "PENDING" || current.type === "RUNNING")) || (proposed.type === "RUNNING" && current.type === "RUNNING")) {
    return {
      status: "ABORT",
      reason: `the run is already ${current.type}; another process has it, so this one must not run it`,
    };
  }

  if (proposed.type === "RUNNING" && current.type === "SCHEDULED" && current.state_details.scheduled_time) {
    const delayMs = Date.parse(current.state_details.scheduled_time) - options.now.getTime();
    if (delayMs > (options.scheduledToleranceMs ?? 0)) {
      return { status: "WAIT", delaySeconds: delayMs / 1000, reason: `the run is scheduled for ${current.state_details.scheduled_time}; try again then` };
    }
  }

  if (options.convertRetries && proposed.type === "FAILED" && current.type === "RUNNING" && run.run_count <= run.retries) {
    const delay = retryDelaySeconds(run.retry_delay_seconds, run.run_count);
    const scheduled = new Date(options.now.getTime() + delay * 1000).toISOString();
    return {
      status: "REJECT",
      state: {
        ...proposed,
        id: uuidv7(),
        type: "SCHEDULED",
        name: STATE_NAMES.awaitingRetry,
        message: `retry ${run.run_count} of ${run.retries} in ${delay}s${proposed.message ? ` after: ${proposed.message}` : ""}`,
        state_details: { ...proposed.state_details, scheduled_time: scheduled, replaced_proposed: "FAILED" },
      },
      reason: `retry ${run.run_count} of ${run.retries}: the run is scheduled again for ${scheduled}`,
    };
  }

  return { status: "ACCEPT", state: proposed };
}
