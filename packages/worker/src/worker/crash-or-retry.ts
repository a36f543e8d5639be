import { isTerminal } from "@baton/core/runtime";
import type { BatonClient } from "baton";

/** The name of the Scheduled state a lost run goes back to; counting them counts the retries used. */
export const RESCHEDULED = "Rescheduled";

export type CrashOutcome = "crashed" | "rescheduled" | "final";

/**
 * A run whose infrastructure ended without the run reaching a final state: Crashed with `message`,
 * or, when its container or pod was lost (`lost`: evicted, OOM-killed, removed by someone else)
 * and the pool's `crash_retries` allows another attempt, back to Scheduled (due now) with why and
 * which attempt comes next. A run already final or being cancelled is left as it is. The count is
 * the run's own history, so a restarted worker, or another one, counts the same.
 */
export async function crashOrRetry(client: BatonClient, flowRunId: string, options: { message: string; lost: boolean; crashRetries: number; claimId?: string | undefined }): Promise<CrashOutcome> {
  const current = await client.readFlowRun(flowRunId);
  if (isTerminal(current.state_type) || current.state_type === "CANCELLING") return "final";
  const { message, crashRetries, claimId } = options;
  if (options.lost && crashRetries > 0) {
    const history = await client.flowRunStates(flowRunId, { limit: 200 });
    const used = history.items.filter((s) => s.type === "SCHEDULED" && s.name === RESCHEDULED).length;
    if (used < crashRetries) {
      const attempt = used + 2;
      await client.setFlowRunState(
        flowRunId,
        {
          type: "SCHEDULED",
          name: RESCHEDULED,
          message: `${message}; back to Scheduled for attempt ${attempt} of ${crashRetries + 1} (crash_retries: ${crashRetries})`,
          state_details: { scheduled_time: new Date().toISOString() },
        },
        true,
        claimId,
      );
      return "rescheduled";
    }
    await client.setFlowRunState(flowRunId, { type: "CRASHED", message: `${message}; no retry left (crash_retries: ${crashRetries}, all used)` }, true, claimId);
    return "crashed";
  }
  await client.setFlowRunState(flowRunId, { type: "CRASHED", message }, true, claimId);
  return "crashed";
}
