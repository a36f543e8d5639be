import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { parseFlowRunId } from "./args.js";

/** `baton flow-run execute [ID]`: a deployment's run, here (what a worker starts). Exit 1 unless it completes. */
export async function executeCommand(ctx: CommandContext, id: string | undefined): Promise<void> {
  const given = id ?? ctx.io.env.BATON_FLOW_RUN_ID;
  if (!given) throw new UsageError("no flow run to execute; give its ID, or set BATON_FLOW_RUN_ID (workers do)");
  const flowRunId = parseFlowRunId(given);
  const { executeFlowRun } = await import("baton");
  const result = await executeFlowRun({ flowRunId });
  ctx.out.note(`Flow run ${flowRunId} ended ${result.state.name}${result.state.message ? `: ${result.state.message}` : ""}`);
  if (result.state.type !== "COMPLETED") ctx.exitCode = 1;
}

/**
 * The arguments of `baton flow-run execute [ID]` exactly, which every worker starts for every
 * run: it then skips building the whole command line (commander and some 50 modules, 150 ms and
 * more on a busy machine) on the way to the flow's first line. Anything else (a flag, --help,
 * another command) returns undefined and goes through the full program.
 */
export function fastExecuteArgs(argv: string[]): { id: string | undefined } | undefined {
  const args = argv.slice(2);
  if (args[0] !== "flow-run" || args[1] !== "execute" || args.length > 3) return undefined;
  if (args[2] !== undefined && args[2].startsWith("-")) return undefined;
  return { id: args[2] };
}
