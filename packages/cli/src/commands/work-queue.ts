import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/work-queue.js");

/** Queues live in a pool, as in the tool users come from: `baton work-queue VERB NAME --pool P`. */
export function registerWorkQueue(program: Command, ctx: CommandContext): void {
  const queue = program.command("work-queue").description("A work pool's queues: priorities (1 is served first) and concurrency limits");
  const writeOptions = (command: Command) =>
    command
      .requiredOption("--pool <pool>", "the work pool the queue is in")
      .option("--priority <n>", "1 is served first")
      .option("--concurrency-limit <n>", "at most this many runs of the queue at once (0: none start)")
      .option("--description <text>", "what the queue is for");

  writeOptions(queue.command("create").description("Create a queue in a work pool").argument("<name>", "the queue's name")).action(lazy(ctx, actions, "createCommand"));

  queue
    .command("ls")
    .description("A pool's queues, by priority")
    .option("--limit <n>", "show at most this many (default 200)")
    .requiredOption("--pool <pool>", "the work pool")
    .option("--json", "print the queues as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  writeOptions(queue.command("update").description("Change a queue's priority, concurrency limit or description").argument("<name>", "the queue's name")).action(lazy(ctx, actions, "updateCommand"));

  for (const [verb, paused] of [["pause", true], ["resume", false]] as const) {
    queue
      .command(verb)
      .description(paused ? "Pause a queue: its runs wait" : "Resume a paused queue")
      .argument("<name>", "the queue's name")
      .requiredOption("--pool <pool>", "the work pool the queue is in")
      .action(lazy(ctx, actions, `${verb}Command` as const));
  }

  queue
    .command("inspect")
    .description("Show a queue: priority, concurrency limit, paused, and its runs waiting or running")
    .argument("<name>", "the queue's name")
    .requiredOption("--pool <pool>", "the work pool the queue is in")
    .option("--json", "print the queue as JSON")
    .addHelpText("after", "\nExamples:\n  baton work-queue inspect default --pool prod")
    .action(lazy(ctx, actions, "inspectCommand"));

  queue
    .command("preview")
    .description("The queue's scheduled runs due within the next hours, soonest first")
    .argument("<name>", "the queue's name")
    .requiredOption("--pool <pool>", "the work pool the queue is in")
    .option("--hours <n>", "how far ahead to look", "24")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the runs as a JSON array")
    .addHelpText("after", "\nExamples:\n  baton work-queue preview default --pool prod --hours 2")
    .action(lazy(ctx, actions, "previewCommand"));

  queue
    .command("clear-concurrency-limit")
    .description("Remove a queue's concurrency limit")
    .argument("<name>", "the queue's name")
    .requiredOption("--pool <pool>", "the work pool the queue is in")
    .addHelpText("after", "\nExamples:\n  baton work-queue clear-concurrency-limit default --pool prod")
    .action(lazy(ctx, actions, "clearConcurrencyLimitCommand"));

  removal(queue.command("delete"))
    .description("Delete a queue (not the pool's default one)")
    .argument("<name>", "the queue's name")
    .requiredOption("--pool <pool>", "the work pool the queue is in")
    .action(lazy(ctx, actions, "deleteCommand"));
}
