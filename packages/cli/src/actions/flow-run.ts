import { FLOW_RUN_SORTS, type Log } from "@baton/core";
import { UsageError } from "../errors.js";
import { z } from "zod";
import type { CommandContext } from "../context.js";
import { limitOption, parseOptions } from "../options.js";
import { parseStateFilter } from "../flow-run/args.js";
import { resolveFlowRunId } from "../flow-run/resolve.js";
import { listFlowRuns, printFlowRuns } from "../flow-run/list.js";
import { printFlowRunDetails, readFlowRunDetails } from "../flow-run/inspect.js";
import { logPrinter, streamLogs } from "../flow-run/logs.js";
import { noteUiLink } from "../output/ui-link.js";
import { readDeploymentRef } from "../deployment/ref.js";
import { readWorkPool } from "../work-pool/read.js";
import { pastTime } from "../time/duration.js";

const pointInTime = z
  .string()
  .transform((text, zc) => pastTime(text) ?? (zc.addIssue({ code: "custom", message: "must be a time (2026-12-24T08:00:00Z) or a duration back from now (30m, 2h, 1d)" }), z.NEVER))
  .optional();
const ListOptions = z.object({
  state: z.string().optional(),
  flow: z.string().min(1, "must name a flow").optional(),
  deployment: z.string().min(1, "must name a deployment").optional(),
  pool: z.string().min(1, "must name a work pool").optional(),
  tag: z.array(z.string().min(1, "must not be empty")).default([]),
  since: pointInTime,
  until: pointInTime,
  limit: limitOption(20),
  upcoming: z.boolean().default(false),
  sort: z.enum(FLOW_RUN_SORTS, { message: `must be one of ${FLOW_RUN_SORTS.join(", ")}` }).optional(),
  json: z.boolean().default(false),
});
const JsonOption = z.object({ json: z.boolean().default(false) });
const LineCount = z.coerce.number({ message: "must be a number of lines" }).int("must be a whole number").min(1, "must be at least 1").optional();
const LogsOptions = JsonOption.extend({ follow: z.boolean().default(false), head: LineCount, tail: LineCount, limit: LineCount });

/** --tail waits for the end, so it cannot follow; --head and --tail name two different windows. */
function checkLogWindow(options: { head?: number | undefined; tail?: number | undefined; follow: boolean }): void {
  if (options.head !== undefined && options.tail !== undefined) throw new UsageError("--head and --tail cannot be used together; pick one");
  if (options.tail !== undefined && options.follow) throw new UsageError("--tail cannot be used with --follow; use --follow alone to print lines as they come");
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  if (options.upcoming && options.sort) throw new UsageError("--upcoming lists runs soonest due first and cannot take --sort; drop one of them");
  const client = await ctx.client();
  // Named as everywhere else (FLOW/NAME, name, ID or prefix): the list asks by ID and pool name.
  const deploymentId = options.deployment !== undefined ? (await readDeploymentRef(client, options.deployment)).id : undefined;
  const pool = options.pool !== undefined ? (await readWorkPool(client, options.pool)).name : undefined;
  const runs = await listFlowRuns(client, {
    limit: options.limit,
    ...(options.state !== undefined ? { state: parseStateFilter(options.state) } : {}),
    ...(options.flow ? { flow: options.flow } : {}),
    ...(deploymentId ? { deploymentId } : {}),
    ...(pool ? { pool } : {}),
    ...(options.tag.length > 0 ? { tags: options.tag } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
    ...(options.sort ? { sort: options.sort } : {}),
    // A schedule keeps up to 100 future runs: newest-created first, they would fill the page.
    upcoming: options.upcoming ? "only" : options.state !== undefined ? "include" : "exclude",
  });
  if (options.json) ctx.out.json(runs);
  else printFlowRuns(ctx.out, runs, { upcoming: options.upcoming });
}

export async function inspectCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const details = await readFlowRunDetails(await ctx.client(), (await resolveFlowRunId(await ctx.client(), id)));
  if (options.json) ctx.out.json(details);
  else printFlowRunDetails(ctx.out, details);
  noteUiLink(ctx, { flowRun: details.flow_run.id });
}

export async function logsCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(LogsOptions, raw);
  const flowRunId = await resolveFlowRunId(await ctx.client(), id);
  checkLogWindow(options);
  const client = await ctx.client();
  // Reading the run first turns an unknown ID into "no such run" rather than silence.
  await client.readFlowRun(flowRunId);
  const print = logPrinter(client, ctx.out);
  const emit = (log: Log) => (options.json ? ctx.out.jsonLine(log) : print(log));
  // `--limit N` is every list's "the first N", so here the first N lines; --head or --tail, which name the window, win over it.
  const first = options.tail === undefined ? (options.head ?? options.limit) : undefined;
  const last: Log[] = [];
  let seen = 0;
  const { cut } = await streamLogs(client, flowRunId, {
    follow: options.follow,
    pollMs: 500,
    ...(first !== undefined ? { max: first } : {}),
    onLog: (log) => {
      if (options.tail === undefined) return emit(log);
      seen += 1;
      last.push(log);
      if (last.length > options.tail) last.shift();
    },
  });
  for (const log of last) await emit(log);
  // As every cut list says so on stderr, so a part is never mistaken for all of it.
  const flag = options.head !== undefined ? "--head" : "--limit";
  if (cut) ctx.out.note(`Showing the first ${first} lines; show more with ${flag} N`);
  if (options.tail !== undefined && seen > options.tail) ctx.out.note(`Showing the last ${options.tail} of ${seen} lines; show more with --tail N`);
}
