import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/task-run.js");

/** Task runs belong to one flow run; every command here reaches them through it or by ID. */
export function registerTaskRun(program: Command, ctx: CommandContext): void {
  const taskRun = program.command("task-run").description("Task runs of a flow run: list, inspect, logs");

  taskRun
    .command("ls")
    .description("List a flow run's task runs, oldest first")
    .option("--flow-run <id>", "the flow run whose task runs to list, by ID, ID prefix or name (required)")
    .option("--state <states>", "only task runs in these states: types (FAILED, COMPLETED...) or names, comma-separated")
    .option("--limit <n>", "at most this many task runs", "1000")
    .option("--json", "print the task runs as a JSON array")
    .addHelpText("after", "\nExamples:\n  baton task-run ls --flow-run 0190c0de-...\n  baton task-run ls --flow-run $ID --state failed")
    .action(lazy(ctx, actions, "lsCommand"));

  taskRun
    .command("inspect")
    .description("Show a task run: its task, flow run, state history and error")
    .argument("<id>", "the task run's ID (from baton task-run ls --flow-run ID)")
    .option("--json", "print the task run and its states as one JSON object")
    .addHelpText("after", "\nExamples:\n  baton task-run inspect 0190c0de-...")
    .action(lazy(ctx, actions, "inspectCommand"));

  taskRun
    .command("logs")
    .description("Print a task run's logs, oldest first")
    .argument("<id>", "the task run's ID (from baton task-run ls --flow-run ID)")
    .option("--json", "print each log line as a JSON object, one per line")
    .addHelpText("after", "\nExamples:\n  baton task-run logs 0190c0de-...")
    .action(lazy(ctx, actions, "logsCommand"));
}
