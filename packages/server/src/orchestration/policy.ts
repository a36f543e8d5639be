import type { State } from "@baton/core";
import type { Decision, Rule, RuleOptions, RunForRules } from "./decision.js";
import { CancellingEndsCancelled, ClaimMustBeCurrent, ForceOrFirstState, OneProcessPerRun, RetryFailedRuns, TerminalStatesAreFinal, WaitForScheduledTime } from "./rules.js";

/**
 * The orchestration policy, in order (as Prefect's core_policy.py lists its rules): the first
 * rule with an opinion decides; when none has one, the proposal is accepted. Every state change
 * of a flow run goes through it (orchestration/road.ts), and so do task runs' states (set_state,
 * reports). docs/states.md lists the same order; a test checks it.
 */
export const CORE_POLICY: readonly Rule[] = [
  ClaimMustBeCurrent,
  ForceOrFirstState,
  TerminalStatesAreFinal,
  CancellingEndsCancelled,
  OneProcessPerRun,
  WaitForScheduledTime,
  RetryFailedRuns,
];

/** Accept, reject, delay or abort a proposed state for a run in its current state. The caller stores the outcome. */
export function orchestrate(run: RunForRules, proposed: State, options: RuleOptions, policy: readonly Rule[] = CORE_POLICY): Decision {
  for (const rule of policy) {
    const decision = rule.decide(run, proposed, options);
    if (decision) return decision;
  }
  return { status: "ACCEPT", state: proposed };
}
