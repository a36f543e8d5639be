import type { Command } from "commander";
import { z } from "zod";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { parseFlowRunId, parseStateFilter } from "../flow-run/args.js";
import { listFlowRuns, printFlowRuns } from "../flow-run/list.js";
import { printFlowRunDetails, readFlowRunDetails } from "../flow-run/inspect.js";
import { printLog, streamLogs } from "../flow-run/logs.js";
import { registerFlowRunDispatch } from "../flow-run/dispatch.js";

const ListOptions = z.object({
  state: z.string().optional(),
  flow: z.string().min(1, "must name a flow").optional(),
  limit: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(10_000, "must be at most 10000").default(20),
  upcoming: z.boolean().default(false),
  json: z.boolean().default(false),
});
const JsonOption = z.object({ json: z.boolean().default(false) });
const LogsOptions = JsonOption.extend({ follow: z.boolean().default(false) });

export function registerFlowRun(program: Command, ctx: CommandContext): void {
  const flowRun = program.command("flow-run").description("Flow runs: list, inspect, logs, cancel, why, execute");

  flowRun
    .command("ls")
    .description("List flow runs, newest first; runs scheduled for later are left out unless --upcoming or --state asks for them")
    .option("--state <states>", "only runs in these states: types (FAILED, COMPLETED...) or names (Late, Cached...), comma-separated")
    .option("--flow <name>", "only runs of this flow")
    .option("--limit <n>", "at most this many runs", "20")
    .option("--upcoming", "only the runs scheduled for later")
    .option("--json", "print the runs as a JSON array")
    .action(async (raw: unknown) => {
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
    });

  flowRun
    .command("inspect")
    .description("Show a flow run: parameters, state history, task runs, result or error")
    .argument("<id>", "the flow run's ID (from baton flow-run ls)")
    .option("--json", "print the run, its states and task runs as one JSON object")
    .action(async (id: string, raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const details = await readFlowRunDetails(await ctx.client(), parseFlowRunId(id));
      if (options.json) ctx.out.json(details);
      else printFlowRunDetails(ctx.out, details);
    });

  flowRun
    .command("logs")
    .description("Print a flow run's logs, oldest first")
    .argument("<id>", "the flow run's ID (from baton flow-run ls)")
    .option("-f, --follow", "keep printing new lines until the run ends")
    .option("--json", "print each log line as a JSON object, one per line")
    .action(async (id: string, raw: unknown) => {
      const options = parseOptions(LogsOptions, raw);
      const flowRunId = parseFlowRunId(id);
      const client = await ctx.client();
      // Reading the run first turns an unknown ID into "no such run" rather than silence.
      await client.readFlowRun(flowRunId);
      await streamLogs(client, flowRunId, {
        follow: options.follow,
        pollMs: 500,
        onLog: (log) => (options.json ? ctx.out.jsonLine(log) : printLog(ctx.out, log)),
      });
    });

  registerFlowRunDispatch(flowRun, ctx);
}
