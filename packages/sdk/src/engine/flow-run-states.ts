import type { OrchestrationResult, PulledSource, StateCreate } from "@baton/core";
import { STATE_NAMES } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";
import { FlowRunAbortedError } from "../errors/index.js";
import { DEFAULT_OUTAGE_MS, retryThroughOutage } from "../reporter/retry-policy.js";
import { sleep, sleepUntil } from "../timing/retry.js";

/**
 * Proposes a flow run state; WAIT answers are honoured by sleeping and asking again. A server
 * that cannot be reached (down, restarting, its database gone for a moment) is asked again,
 * with backoff, for up to `outageMs` (BATON_API_OUTAGE_SECONDS).
 */
export async function proposeFlowRunState(client: BatonClient, id: string, state: StateCreate, outageMs = DEFAULT_OUTAGE_MS): Promise<OrchestrationResult> {
  for (;;) {
    const answer = await retryThroughOutage(() => client.setFlowRunState(id, state), outageMs);
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
export async function proposeRunning(client: BatonClient, id: string, attempt: number, outageMs = DEFAULT_OUTAGE_MS, source?: PulledSource): Promise<OrchestrationResult> {
  const running: StateCreate = { type: "RUNNING", ...(attempt > 1 ? { name: STATE_NAMES.retrying } : {}), ...(source ? { data: { source } } : {}) };
  const answer = await proposeFlowRunState(client, id, running, outageMs);
  if (answer.state.type !== "CANCELLING") return answer;
  return proposeFinalState(client, id, { type: "CANCELLED", message: "Cancelled before it started" }, outageMs);
}

/**
 * Proposes the state a run ends in. ABORT is an answer here, not an error: the server already
 * holds an end for the run (it was marked Crashed while this process was stalled, or an
 * operator set it), and that state is how the run ended.
 */
export async function proposeFinalState(client: BatonClient, id: string, state: StateCreate, outageMs = DEFAULT_OUTAGE_MS): Promise<OrchestrationResult> {
  try {
    // Sent again until the server takes it: a run that finished while the server was down still ends as it did.
    return await retryThroughOutage(() => client.setFlowRunState(id, state), outageMs);
  } catch (error) {
    process.stderr.write(
      `baton: could not record the final state ${state.type} of flow run ${id} on ${client.target} (tried for up to ${Math.round(outageMs / 1000)}s, BATON_API_OUTAGE_SECONDS): ${error instanceof Error ? error.message : String(error)}\n`,
    );
    throw error;
  }
}

/** Sleeps until a SCHEDULED state's time (AwaitingRetry): the server would make an early RUNNING wait anyway. */
export async function waitForScheduledTime(scheduledTime: string | undefined): Promise<void> {
  if (!scheduledTime) return;
  await sleepUntil(Date.parse(scheduledTime));
}
