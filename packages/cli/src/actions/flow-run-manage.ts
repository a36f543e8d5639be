import { z } from "zod";
import { BatonError, isTerminal } from "@baton/core";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { confirmOrRefuse } from "../prompt/confirm.js";
import { colorState } from "../output/format.js";
import { parseFlowRunId } from "../flow-run/args.js";
import { resolveFlowRunId } from "../flow-run/resolve.js";
import { watchStates } from "../flow-run/watch-states.js";

/** `timeout(1)`'s code: a script can tell "still running" from "failed". */
export const EXIT_TIMEOUT = 124;

const WatchOptions = z.object({
  timeout: z.coerce.number({ message: "must be a number of seconds" }).positive("must be more than 0 seconds").optional(),
  json: z.boolean().default(false),
});
const DeleteOptions = z.object({ yes: z.boolean().default(false) });
const JsonOption = z.object({ json: z.boolean().default(false) });
const ResumeOptions = z.object({ input: z.string().optional(), json: z.boolean().default(false) });

export class FlowRunNotRetryable extends BatonError {
  override readonly code = "FlowRunNotRetryable";
  override readonly status = 409;
}

export async function watchCommand(ctx: CommandContext, id: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(WatchOptions, raw);
  const flowRunId = await resolveFlowRunId(await ctx.client(), id);
  const outcome = await watchStates(await ctx.client(), ctx.out, flowRunId, { pollMs: 500, json: options.json, ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}) });
  if (outcome.timedOut) {
    ctx.out.error(`Timed out after ${options.timeout}s; flow run ${flowRunId} is still ${outcome.run.state_name} (watching stopped, the run goes on)`);
    ctx.exitCode = EXIT_TIMEOUT;
  } else if (outcome.run.state_type !== "COMPLETED") {
    ctx.out.note(`See the error and the task runs with: baton flow-run inspect ${flowRunId}`);
    ctx.exitCode = 1;
  }
}

export async function retryCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const flowRunId = await resolveFlowRunId(await ctx.client(), id);
  const client = await ctx.client();
  const run = await client.readFlowRun(flowRunId);
  if (!isTerminal(run.state_type)) {
    throw new FlowRunNotRetryable(`FlowRunNotRetryable: flow run ${flowRunId} is ${run.state_name}, not finished; wait for it with baton flow-run watch ${flowRunId}, or stop it with baton flow-run cancel ${flowRunId}`);
  }
  if (!run.deployment_id) {
    throw new FlowRunNotRetryable(`FlowRunNotRetryable: flow run ${flowRunId} was not started from a deployment, so no worker would pick it up; run the flow again with baton run FILE:FLOW`);
  }
  // Forced: the rules refuse to leave a final state, which is exactly what an operator's retry does.
  const result = await client.call("setFlowRunState", {
    params: { id: flowRunId },
    body: { state: { type: "SCHEDULED", name: "AwaitingRetry", message: "Retried from the CLI" }, force: true },
  });
  if (result.status !== "ACCEPT") {
    throw new FlowRunNotRetryable(`FlowRunNotRetryable: flow run ${flowRunId} is ${result.state.name}: ${result.details.reason ?? "the server refused to schedule it again"}`);
  }
  if (options.json) ctx.out.json(result.state);
  else ctx.out.line(`Flow run ${flowRunId}: ${colorState(result.state.type, result.state.name, ctx.out.colors)}`);
  ctx.out.note(`A worker of pool '${run.work_pool_name ?? "?"}' picks it up; follow it with baton flow-run watch ${flowRunId}`);
}

export async function deleteCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(DeleteOptions, raw);
  const flowRunId = await resolveFlowRunId(await ctx.client(), id);
  const client = await ctx.client();
  const run = await client.readFlowRun(flowRunId);
  await confirmOrRefuse(`Delete flow run '${run.name}' (${flowRunId}, ${run.state_name}) with its task runs and logs?`, options.yes, process.stderr);
  await client.call("deleteFlowRun", { params: { id: flowRunId } });
  ctx.out.result(run, () => ctx.out.line(`Deleted flow run '${run.name}' (${flowRunId})`));
}

/** `baton flow-run resume ID [--input JSON]`: a person resumes a run waiting in pauseFlowRun. */
export async function resumeCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(ResumeOptions, raw);
  const flowRunId = parseFlowRunId(id);
  let input: unknown;
  if (options.input !== undefined) {
    try {
      input = JSON.parse(options.input);
    } catch (error) {
      throw new UsageError(`--input: not JSON (${(error as Error).message}); pass an object such as '{"approved": true}'`);
    }
  }
  const client = await ctx.client();
  const run = await client.call("resumeFlowRun", { params: { id: flowRunId }, body: input === undefined ? {} : { input } });
  if (options.json) ctx.out.json(run);
  else ctx.out.line(`Flow run ${flowRunId}: ${colorState(run.state.type, run.state.name, ctx.out.colors)}`);
}
