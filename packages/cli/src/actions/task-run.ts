import { z } from "zod";
import { MAX_PAGE_SIZE, type TaskRun } from "@baton/core";
import { allPages } from "baton";
import type { CommandContext } from "../context.js";
import { limitOption, parseOptions } from "../options.js";
import { parseStateFilter } from "../flow-run/args.js";
import { resolveFlowRunId } from "../flow-run/resolve.js";
import { logPrinter } from "../flow-run/logs.js";
import { parseTaskRunId, printTaskRunDetails, printTaskRuns, readTaskRunDetails } from "../task-run/read.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({
  flowRun: z.string({ message: "is required: task runs are listed per flow run" }),
  state: z.string().optional(),
  limit: limitOption(1000),
});

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  const flowRunId = await resolveFlowRunId(await ctx.client(), options.flowRun);
  const states = options.state !== undefined ? parseStateFilter(options.state) : undefined;
  const client = await ctx.client();
  // An unknown flow run is "no such run", not an empty list.
  await client.readFlowRun(flowRunId);
  const all = await allPages((cursor) => client.listTaskRuns({ flow_run_id: flowRunId, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
  // Filtered here: the state filter accepts names (Cached, Retrying) as flow-run ls does.
  const matches = (t: TaskRun) => !states || states.includes(t.state_type) || states.includes(t.state_name);
  const taskRuns = all.filter(matches).slice(0, options.limit);
  if (options.json) ctx.out.json(taskRuns);
  else printTaskRuns(ctx.out, taskRuns);
}

export async function inspectCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const details = await readTaskRunDetails(await ctx.client(), parseTaskRunId(id));
  if (options.json) ctx.out.json(details);
  else printTaskRunDetails(ctx.out, details);
}

export async function logsCommand(ctx: CommandContext, id: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const client = await ctx.client();
  const run = await client.readTaskRun(parseTaskRunId(id));
  const logs = await allPages((cursor) => client.listLogs({ flow_run_id: run.flow_run_id, task_run_id: run.id, limit: 5000, ...(cursor ? { cursor } : {}) }));
  if (logs.length === 0 && !options.json) ctx.out.note(`Task run ${run.name} wrote no logs; its flow run's logs: baton flow-run logs ${run.flow_run_id}`);
  const print = logPrinter(client, ctx.out);
  for (const log of logs) await (options.json ? ctx.out.jsonLine(log) : print(log));
}
