import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect } from "../flags.js";
import { registerFlowRunDispatch } from "./flow-run-dispatch.js";
import { registerFlowRunManage } from "./flow-run-manage.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/flow-run.js");

export function registerFlowRun(program: Command, ctx: CommandContext): void {
  const flowRun = program.command("flow-run").description("Flow runs: list, inspect, logs, watch, retry, delete, cancel, why, execute");

  flowRun
    .command("ls")
    .description("List flow runs, newest first (or --sort); runs scheduled for later are left out unless --upcoming or --state asks for them")
    .option("--state <states>", "only runs in these states: types (FAILED, COMPLETED...) or names (Late, Cached...), comma-separated")
    .option("--flow <name>", "only runs of this flow")
    .option("--deployment <flow/deployment>", "only runs of this deployment (FLOW/DEPLOYMENT, its name, ID or ID prefix)")
    .option("--pool <pool>", "only runs of this work pool")
    .option("--tag <tag>", "only runs with this tag (repeatable: runs with all of them)", collect)
    .option("--since <time>", "only runs due to start at or after this: a time (2026-12-24T08:00:00Z) or a duration back from now (1d)")
    .option("--until <time>", "only runs due to start before this: a time or a duration back from now")
    .option("--limit <n>", "at most this many runs", "20")
    .option("--upcoming", "only the runs scheduled for later, soonest first, with when each is due")
    .option("--sort <order>", "list in this order, server-side over every matching run: created_desc (default), created_asc, start_time_desc, start_time_asc, duration_desc, duration_asc (runs not started, or for duration not finished, come last)")
    .option("--json", "print the runs as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  flowRun
    .command("inspect")
    .description("Show a flow run: parameters, state history, task runs, result or error")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .option("--json", "print the run, its states and task runs as one JSON object")
    .action(lazy(ctx, actions, "inspectCommand"));

  flowRun
    .command("logs")
    .description("Print a flow run's logs, oldest first")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .option("-f, --follow", "keep printing new lines until the run ends")
    .option("--limit <n>", "at most N lines, the first ones, as --limit on every list (default: all); --head or --tail wins over it")
    .option("--head <n>", "only the first N lines")
    .option("--tail <n>", "only the last N lines (not with --follow)")
    .option("--json", "print each log line as a JSON object, one per line")
    .addHelpText("after", "\nExamples:\n  baton flow-run logs 0190c0de-... --tail 20\n  baton flow-run logs $ID --limit 100       # the first 100 lines, as --head 100\n  baton flow-run logs $ID --follow")
    .action(lazy(ctx, actions, "logsCommand"));

  registerFlowRunDispatch(flowRun, ctx);
  registerFlowRunManage(flowRun, ctx);
}
