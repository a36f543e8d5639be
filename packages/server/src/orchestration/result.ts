import type { OrchestrationResult, State } from "@baton/core";
import type { Decision } from "./decision.js";

/**
 * A stored state never sorts before the state it follows. A proposal's time is taken before
 * its run is read (a services pass reads its clock once, then finds a run created after it; a
 * worker's clock runs behind the server's), and the history is read in time order, so such a
 * state is stored a millisecond after the current one instead.
 */
export function inHistoryOrder(decision: Decision, current: State): Decision {
  if ((decision.status !== "ACCEPT" && decision.status !== "REJECT") || !decision.state) return decision;
  if (decision.state.timestamp > current.timestamp) return decision;
  const timestamp = new Date(Date.parse(current.timestamp) + 1).toISOString();
  return { ...decision, state: { ...decision.state, timestamp } };
}

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
