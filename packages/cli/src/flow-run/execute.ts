import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { parseFlowRunId } from "./args.js";
import { pullProgressReporter } from "./pull-progress.js";

/** `baton flow-run execute [ID]`: a deployment's run, here (what a worker starts). Exit 1 unless it completes. */
export async function executeCommand(ctx: CommandContext, id: string | undefined): Promise<void> {
  const given = id ?? ctx.io.env.BATON_FLOW_RUN_ID;
  if (!given) throw new UsageError("no flow run to execute; give its ID, or set BATON_FLOW_RUN_ID (workers do)");
  const flowRunId = parseFlowRunId(given);
  const { executeFlowRun } = await import("baton");
  const onPullProgress = pullProgressReporter(ctx.out);
  const result = await executeFlowRun({ flowRunId, ...(onPullProgress ? { onPullProgress } : {}) });
  ctx.out.note(`Flow run ${flowRunId} ended ${result.state.name}${result.state.message ? `: ${result.state.message}` : ""}`);
  // Suspended (suspendFlowRun) is no failure: the run goes on in another process once resumed.
  if (result.state.type !== "COMPLETED" && !result.state.state_details.pause_reschedule) ctx.exitCode = 1;
}
