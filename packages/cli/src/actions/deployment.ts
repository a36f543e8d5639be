import { z } from "zod";
import { MAX_PAGE_SIZE } from "@baton/core";
import type { CommandContext } from "../context.js";
import { readDeploymentRef } from "../deployment/ref.js";
import { printDeployment, printDeployments } from "../deployment/print.js";
import { watchFlowRun } from "../deployment/watch.js";
import { UsageError } from "../errors.js";
import { DURATION, durationMs } from "../time/duration.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { noteUiLink } from "../output/ui-link.js";
import { parseParamFlag, parseRunParameters } from "../run/params.js";


/** When the run is due: now unless --start-in or --start-at (one of them) says later. */
function scheduledTime(options: { startIn?: string | undefined; startAt?: string | undefined }): string | undefined {
  if (options.startIn !== undefined && options.startAt !== undefined) throw new UsageError("--start-in and --start-at cannot be used together; pick one");
  if (options.startIn !== undefined) {
    if (durationMs(options.startIn) === 0) throw new UsageError("--start-in must be a duration: a number and a unit, e.g. 30s, 10m, 2h, 1d (or 1h30m)");
    return new Date(Date.now() + durationMs(options.startIn)).toISOString();
  }
  return options.startAt !== undefined ? new Date(options.startAt).toISOString() : undefined;
}

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ limit: listLimitOption() });
const RunOptions = z.object({
  param: z.array(z.string()).default([]),
  params: z.string().optional(),
  jobVariable: z.array(z.string()).default([]),
  watch: z.boolean().default(false),
  json: z.boolean().default(false),
  startIn: z.string().regex(DURATION, "must be a duration: a number and a unit, e.g. 30s, 10m, 2h, 1d (or 1h30m)").optional(),
  startAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be a date and time, e.g. 2026-12-24T08:00:00Z (no offset: this machine's time zone)").optional(),
  tag: z.array(z.string().min(1, "must not be empty").max(200, "must be at most 200 characters")).default([]),
  flowRunName: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
  idempotencyKey: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
});

/** With --json, logs and the final state go to stderr so stdout holds one JSON document. */
function linesToStderr(out: CommandContext["out"]): CommandContext["out"] {
  return Object.assign(Object.create(out) as CommandContext["out"], { line: (text = "") => out.error(text) });
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const items = await firstItems(ctx.out, options.limit, (cursor) => client.call("listDeployments", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (options.json) ctx.out.json(items);
  else printDeployments(ctx.out, items);
}

export async function inspectCommand(ctx: CommandContext, ref: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const found = await readDeploymentRef(await ctx.client(), ref);
  if (options.json) ctx.out.json(found);
  else printDeployment(ctx.out, found);
  noteUiLink(ctx, { deployment: found.id });
}

export async function runCommand(ctx: CommandContext, ref: string, raw: unknown) {
  const options = parseOptions(RunOptions, raw);
  const parameters = parseRunParameters(options.param, options.params);
  const jobVariables = Object.fromEntries(options.jobVariable.map((flag) => parseParamFlag(flag, "--job-variable")));
  const scheduled = scheduledTime(options);
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  const run = await client.call("runDeployment", {
    params: { id: found.id },
    body: {
      parameters,
      job_variables: jobVariables,
      tags: options.tag,
      ...(options.flowRunName !== undefined ? { name: options.flowRunName } : {}),
      ...(scheduled !== undefined ? { scheduled_time: scheduled } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotency_key: options.idempotencyKey } : {}),
    },
  });
  const { out } = ctx;
  if (!options.watch) {
    if (options.json) out.json(run);
    else out.line(run.id);
    const when = scheduled !== undefined ? `, due ${run.expected_start_time ?? scheduled}` : "";
    out.note(`Created flow run ${run.name} of ${ref}${when}; follow it with: baton flow-run logs --follow ${run.id}`);
    noteUiLink(ctx, { flowRun: run.id });
    return;
  }
  out.note(`Created flow run ${run.name} (${run.id}) of ${ref}; watching it (Ctrl-C stops watching, not the run)`);
  noteUiLink(ctx, { flowRun: run.id });
  if (!options.json) out.line(run.id);
  const finished = await watchFlowRun(client, options.json ? linesToStderr(out) : out, run.id);
  if (options.json) out.json(finished);
  if (finished.state_type !== "COMPLETED") ctx.exitCode = 1;
}

export async function deleteCommand(ctx: CommandContext, ref: string, raw: unknown) {
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  await confirmRemoval(`Delete deployment '${found.flow_name}/${found.name}' (${found.id}) and its future scheduled runs?`, raw);
  await client.call("deleteDeployment", { params: { id: found.id } });
  ctx.out.result(found, () => ctx.out.line(`Deleted deployment '${ref}'`));
}

export const pauseCommand = (ctx: CommandContext, ref: string) => setPaused(ctx, ref, "pauseDeployment", "paused");
export const resumeCommand = (ctx: CommandContext, ref: string) => setPaused(ctx, ref, "resumeDeployment", "resumed");

async function setPaused(ctx: CommandContext, ref: string, route: "pauseDeployment" | "resumeDeployment", done: string) {
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  const changed = await client.call(route, { params: { id: found.id } });
  ctx.out.result(changed, () => ctx.out.line(`Deployment '${ref}' ${done}`));
}
