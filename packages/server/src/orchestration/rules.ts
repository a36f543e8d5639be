import { ConflictError, STATE_NAMES, defaultStateName, isTerminal, uuidv7, type State } from "@baton/core";
import type { Rule } from "./decision.js";
import { retryDelaySeconds } from "./retry.js";

export type { Decision, Rule, RuleOptions, RunForRules } from "./decision.js";

/** A state proposed under a claim that is no longer the run's (409). */
export class StaleClaim extends ConflictError {
  override readonly code = "StaleClaim";
  constructor(
    readonly flowRunId: string | undefined,
    readonly claimId: string,
    current: string | null,
    proposed: State,
  ) {
    super(
      `StaleClaim: the ${proposed.type} proposed for flow run ${flowRunId ?? "(this run)"} was sent under claim ${claimId}, but the run is now ` +
        `${current ? `under claim ${current}` : "under no claim"} (it was put back in the queue, retried or claimed again since); ` +
        `the state was not applied. A worker or run process of an earlier attempt must stop reporting for this run: it belongs to the new attempt`,
    );
  }
}

/**
 * A proposal sent under a claim applies only while that claim is the run's, forced or not: the
 * supervisor of an earlier attempt cannot end the attempt another worker now runs.
 */
export const ClaimMustBeCurrent: Rule = {
  name: "ClaimMustBeCurrent",
  guards: "a state sent under a claim (worker, run token) applies only while that claim is the run's; otherwise 409 StaleClaim, even with force",
  decide(run, proposed, options) {
    if (options.claimId === undefined || run.claim_id === undefined || run.claim_id === options.claimId) return undefined;
    throw new StaleClaim(run.id, options.claimId, run.claim_id, proposed);
  },
};

/** An explicit retry or repair (force), or a run's first state: the rules below step aside. */
export const ForceOrFirstState: Rule = {
  name: "ForceOrFirstState",
  guards: "a forced state (admin, claim holder) or a new run's first state is accepted as proposed",
  decide: (run, proposed, options) => (options.force || run.state === null ? { status: "ACCEPT", state: proposed } : undefined),
};

export const TerminalStatesAreFinal: Rule = {
  name: "TerminalStatesAreFinal",
  guards: "COMPLETED, FAILED, CRASHED and CANCELLED never change again unless forced (ABORT)",
  decide(run) {
    if (!run.state || !isTerminal(run.state.type)) return undefined;
    return { status: "ABORT", reason: `the run is already ${run.state.type} and terminal states are final; retry it explicitly (force) to run it again` };
  },
};

export const CancellingEndsCancelled: Rule = {
  name: "CancellingEndsCancelled",
  guards: "a CANCELLING run ends CANCELLED whatever end is proposed, and may not start anything else",
  decide(run, proposed) {
    if (run.state?.type !== "CANCELLING") return undefined;
    if (proposed.type === "CANCELLED") return { status: "ACCEPT", state: proposed };
    if (!isTerminal(proposed.type)) return { status: "REJECT", state: null, reason: `the run is being cancelled; ${proposed.type} is not allowed, only an end (CANCELLED)` };
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
  },
};

export const OneProcessPerRun: Rule = {
  name: "OneProcessPerRun",
  guards: "a second PENDING or RUNNING for a run already PENDING or RUNNING is aborted: only one process runs it",
  decide(run, proposed) {
    const current = run.state?.type;
    const twice = (proposed.type === "PENDING" && (current === "PENDING" || current === "RUNNING")) || (proposed.type === "RUNNING" && current === "RUNNING");
    return twice ? { status: "ABORT", reason: `the run is already ${current}; another process has it, so this one must not run it` } : undefined;
  },
};

export const WaitForScheduledTime: Rule = {
  name: "WaitForScheduledTime",
  guards: "RUNNING before the scheduled time of a SCHEDULED run waits until then (WAIT)",
  decide(run, proposed, options) {
    const current = run.state;
    if (proposed.type !== "RUNNING" || current?.type !== "SCHEDULED" || !current.state_details.scheduled_time) return undefined;
    const delayMs = Date.parse(current.state_details.scheduled_time) - options.now.getTime();
    if (delayMs <= (options.scheduledToleranceMs ?? 0)) return undefined;
    return { status: "WAIT", delaySeconds: delayMs / 1000, reason: `the run is scheduled for ${current.state_details.scheduled_time}; try again then` };
  },
};

export const RetryFailedRuns: Rule = {
  name: "RetryFailedRuns",
  guards: "FAILED from RUNNING with retries left is stored as SCHEDULED AwaitingRetry after the attempt's delay (REJECT)",
  decide(run, proposed, options) {
    if (!options.convertRetries || proposed.type !== "FAILED" || run.state?.type !== "RUNNING" || run.run_count > run.retries) return undefined;
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
  },
};
