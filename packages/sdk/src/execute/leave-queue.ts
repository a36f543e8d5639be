import type { FlowRun } from "@baton/core";
import type { BatonClient } from "../client/index.js";

/** How this process ends when its worker died before the flow started (EX_TEMPFAIL: try again later). */
export const REQUEUED_EXIT_CODE = 75;

/**
 * Output to a worker that is gone goes to a closed pipe: each write fails with EPIPE. An
 * `error` listener keeps those failures from becoming uncaught errors (whose report, written
 * to the same closed pipe, failed again, round and round); what is written is lost, which is
 * all there is to do with it.
 */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (!stream.listeners("error").includes(ignoreOutputError)) stream.on("error", ignoreOutputError);
  }
}
function ignoreOutputError(): void {}

/**
 * The worker that launched this run died while the run was still starting (pulling its code):
 * nobody follows this process any more and the flow never ran, so the run goes back to the
 * queue at once (Scheduled, due now) for another worker, instead of waiting out its lease or
 * running unseen. Only if it is still the PENDING claim this process was started for.
 */
export async function giveBackUnstartedRun(client: BatonClient, claimed: FlowRun): Promise<void> {
  try {
    const now = await client.readFlowRun(claimed.id);
    if (now.state_type !== "PENDING" || now.state.id !== claimed.state.id) return;
    await client.setFlowRunState(claimed.id, {
      type: "SCHEDULED",
      message: `worker "${claimed.worker_name ?? "?"}" stopped while this run was starting (its code was being pulled); the flow never ran, so the run is back in the queue for any worker of the pool`,
      state_details: { scheduled_time: claimed.expected_start_time ?? new Date().toISOString() },
    });
  } catch (error) {
    // The lease still ends and puts the run back; nothing is lost by giving up here.
    process.stderr.write(`baton: could not put flow run ${claimed.id} back in the queue: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
