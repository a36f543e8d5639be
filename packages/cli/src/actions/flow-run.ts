import type { Log } from "@baton/core";
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

const ListOptions = z.object({
  state: z.string().optional(),
  flow: z.string().min(1, "must name a flow").optional(),
  limit: limitOption(20),
  upcoming: z.boolean().default(false),
  json: z.boolean().default(false),
});
const JsonOption = z.object({ json: z.boolean().default(false) });
const LineCount = z.coerce.number({ message: "must be a number of lines" }).int("must be a whole number").min(1, "must be at least 1").optional();
const LogsOptions = JsonOption.extend({ follow: z.boolean().default(false), head: LineCount, tail: LineCount });

/** --tail waits for the end, so it cannot follow; --head and --tail name two different windows. */
function checkLogWindow(options: { head?: number | undefined; tail?: number | undefined; follow: boolean }): void {
  if (options.head !== undefined && options.tail !== undefined) throw new UsageError("--head and --tail cannot be used together; pick one");
  if (options.tail !== undefined && options.follow) throw new UsageError("--tail cannot be used with --follow; use --follow alone to print lines as they come");
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  const runs = await listFlowRuns(await ctx.client(), {
    limit: options.limit,
    ...(options.state !== undefined ? { state: parseStateFilter(options.state) } : {}),
    ...(options.flow ? { flow: options.flow } : {}),
    // A schedule keeps up to 100 future runs: newest-created first, they would fill the page.
    upcoming: options.upcoming ? "only" : options.state !== undefined ? "include" : "exclude",
  });
  if (options.json) ctx.out.json(runs);
  else printFlowRuns(ctx.out, runs);
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
  const last: Log[] = [];
  await streamLogs(client, flowRunId, {
    follow: options.follow,
    pollMs: 500,
    ...(options.head !== undefined ? { max: options.head } : {}),
    onLog: (log) => {
      if (options.tail === undefined) return emit(log);
      last.push(log);
      if (last.length > options.tail) last.shift();
    },
  });
  for (const log of last) await emit(log);
}
