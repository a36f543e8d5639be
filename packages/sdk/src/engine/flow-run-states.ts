import { STATE_NAMES, type OrchestrationResult, type StateCreate } from "@baton/core";
import type { BatonClient } from "../client/index.js";
import { FlowRunAbortedError } from "../errors/index.js";
import { sleep, sleepUntil } from "./retry.js";

/** Proposes a flow run state; WAIT answers are honoured by sleeping and asking again. */
export async function proposeFlowRunState(client: BatonClient, id: string, state: StateCreate): Promise<OrchestrationResult> {
  for (;;) {
    const answer = await client.setFlowRunState(id, state);
    if (answer.status === "WAIT") {
      await sleep(Math.max(0.01, answer.details.delay_seconds ?? 1));
      continue;
    }
    if (answer.status === "ABORT") {
      throw new FlowRunAbortedError(
        `FlowRunAborted: the server refused to let this process set flow run ${id} to ${state.type}: ${answer.details.reason ?? "no reason given"}; ` +
          "another process may be running it, or it has already finished",
      );
    }
    return answer;
  }
}

/**
 * Moves the run to RUNNING (named Retrying on later attempts). Resolves to the answer: a
 * REJECT means another state won. A run cancelled before it could start ends Cancelled here.
 */
export async function proposeRunning(client: BatonClient, id: string, attempt: number): Promise<OrchestrationResult> {
  const answer = await proposeFlowRunState(client, id, attempt > 1 ? { type: "RUNNING", name: STATE_NAMES.retrying } : { type: "RUNNING" });
  if (answer.state.type !== "CANCELLING") return answer;
  return proposeFinalState(client, id, { type: "CANCELLED", message: "Cancelled before it started" });
}

/**
 * Proposes the state a run ends in. ABORT is an answer here, not an error: the server already
 * holds an end for the run (it was marked Crashed while this process was stalled, or an
 * operator set it), and that state is how the run ended.
 */
export function proposeFinalState(client: BatonClient, id: string, state: StateCreate): Promise<OrchestrationResult> {
  return client.setFlowRunState(id, state);
}

/** Sleeps until a SCHEDULED state's time (AwaitingRetry): the server would make an early RUNNING wait anyway. */
export async function waitForScheduledTime(scheduledTime: string | undefined): Promise<void> {
  if (!scheduledTime) return;
  await sleepUntil(Date.parse(scheduledTime));
}
