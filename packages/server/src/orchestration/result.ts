import type { OrchestrationResult, State } from "@baton/core";
import type { Decision } from "./decision.js";

/** The state a decision leaves the run in: the proposal, its replacement, or the current one. */
export function stateToStore(decision: Decision): State | null {
  if (decision.status === "ACCEPT") return decision.state;
  if (decision.status === "REJECT") return decision.state;
  return null;
}

/** The answer to the client, given the run's current state before the decision. */
export function orchestrationResult(decision: Decision, current: State): OrchestrationResult {
  const state = stateToStore(decision) ?? current;
  switch (decision.status) {
    case "ACCEPT":
      return { status: "ACCEPT", state, details: {} };
    case "REJECT":
      return { status: "REJECT", state, details: { reason: decision.reason } };
    case "WAIT":
      return { status: "WAIT", state, details: { reason: decision.reason, delay_seconds: decision.delaySeconds } };
    case "ABORT":
      return { status: "ABORT", state, details: { reason: decision.reason } };
  }
}
