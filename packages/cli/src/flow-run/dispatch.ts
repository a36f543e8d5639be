import type { Command } from "commander";
import { z } from "zod";
import { BatonError, type WhyResult } from "@baton/core";
import type { CommandContext } from "../context.js";
import { colorState } from "../output/format.js";
import type { Output } from "../output/io.js";
import { parseOptions } from "../options.js";
import { parseFlowRunId } from "./args.js";
import { executeCommand } from "./execute.js";

const JsonOption = z.object({ json: z.boolean().default(false) });

export class FlowRunNotCancelled extends BatonError {
  override readonly code = "FlowRunNotCancelled";
  override readonly status = 409;
}

/** The flow-run verbs of workers and operators: execute (in a worker's child), cancel, why. */
export function registerFlowRunDispatch(flowRun: Command, ctx: CommandContext): void {
  flowRun
    .command("execute")
    .description("Run a deployment's flow run here: pull steps, entrypoint, parameters (what a worker starts)")
    .argument("[id]", "the flow run's ID (default: BATON_FLOW_RUN_ID)")
    .action((id: string | undefined) => executeCommand(ctx, id));

  flowRun
    .command("cancel")
    .description("Cancel a flow run: at once if it has not started, else its process is stopped")
    .argument("<id>", "the flow run's ID")
    .action(async (id: string) => {
      const flowRunId = parseFlowRunId(id);
      const client = await ctx.client();
      await client.readFlowRun(flowRunId);
      const result = await client.call("cancelFlowRun", { params: { id: flowRunId } });
      const { out } = ctx;
      if (result.status === "ACCEPT") {
        out.line(`Flow run ${flowRunId}: ${colorState(result.state.type, result.state.name, out.colors)}`);
        if (result.state.type === "CANCELLING") out.note("Its worker stops the process; it ends Cancelled. Follow it with baton flow-run inspect " + flowRunId);
      } else {
        throw new FlowRunNotCancelled(`FlowRunNotCancelled: flow run ${flowRunId} is ${result.state.name}: ${result.details.reason ?? "the server refused to cancel it"}`);
      }
    });

  flowRun
    .command("why")
    .description("Explain why a flow run has not started, with what to do about each reason")
    .argument("<id>", "the flow run's ID")
    .option("--json", "print the reasons as JSON")
    .action(async (id: string, raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const why = await client.call("whyFlowRun", { params: { id: parseFlowRunId(id) } });
      if (options.json) ctx.out.json(why);
      else printWhy(ctx.out, why);
    });
}

function printWhy(out: Output, why: WhyResult): void {
  out.line(`Flow run ${why.flow_run_id} is ${why.state_name}.`);
  if (why.reasons.length === 0) {
    out.line("Nothing holds it back: a worker of its pool should claim it within moments.");
    return;
  }
  for (const reason of why.reasons) {
    out.line(`- ${out.colors.bold(reason.code)}: ${reason.message}`);
    for (const holder of reason.holders ?? []) out.line(`    held by ${holder.name} (${holder.id})`);
  }
}
