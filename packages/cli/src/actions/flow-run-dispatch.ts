import { z } from "zod";
import { BatonError, type WhyResult } from "@baton/core";
import type { CommandContext } from "../context.js";
import { colorState } from "../output/format.js";
import type { Output } from "../output/io.js";
import { parseOptions } from "../options.js";
import { resolveFlowRunId } from "../flow-run/resolve.js";

const JsonOption = z.object({ json: z.boolean().default(false) });

export class FlowRunNotCancelled extends BatonError {
  override readonly code = "FlowRunNotCancelled";
  override readonly status = 409;
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

export async function cancelCommand(ctx: CommandContext, id: string) {
  const flowRunId = await resolveFlowRunId(await ctx.client(), id);
  const client = await ctx.client();
  await client.readFlowRun(flowRunId);
  const result = await client.call("cancelFlowRun", { params: { id: flowRunId } });
  const { out } = ctx;
  if (result.status === "ACCEPT") {
    out.result(result.state, () => out.line(`Flow run ${flowRunId}: ${colorState(result.state.type, result.state.name, out.colors)}`));
    if (result.state.type === "CANCELLING") out.note("Its worker stops the process; it ends Cancelled. Follow it with baton flow-run inspect " + flowRunId);
  } else {
    throw new FlowRunNotCancelled(`FlowRunNotCancelled: flow run ${flowRunId} is ${result.state.name}: ${result.details.reason ?? "the server refused to cancel it"}`);
  }
}

export async function whyCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const client = await ctx.client();
  const why = await client.call("whyFlowRun", { params: { id: (await resolveFlowRunId(await ctx.client(), id)) } });
  if (options.json) ctx.out.json(why);
  else printWhy(ctx.out, why);
}
