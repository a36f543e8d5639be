import type { Command } from "commander";
import { WORK_POOL_TYPES } from "@baton/core/runtime";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/work-pool.js");

export function registerWorkPool(program: Command, ctx: CommandContext): void {
  const pool = program.command("work-pool").description("Work pools: where deployments' runs wait for a worker, with a base job template");

  pool
    .command("create")
    .description("Create a work pool (with the type's default template unless one is given)")
    .argument("<name>", "the pool's name")
    .requiredOption("--type <type>", `the kind of worker: ${WORK_POOL_TYPES.join(", ")}`)
    .option("--base-job-template <file>", "a JSON file { job_configuration, variables } (start from baton work-pool default-template)")
    .option("--concurrency-limit <n>", "at most this many runs of the pool at once")
    .option("--description <text>", "what the pool is for")
    .action(lazy(ctx, actions, "createCommand"));

  pool
    .command("ls")
    .description("List work pools")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the pools as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  pool
    .command("inspect")
    .description("Show a work pool: status, queues, workers, base job template")
    .argument("<name>", "the pool's name")
    .option("--json", "print { work_pool, queues, workers } as JSON")
    .action(lazy(ctx, actions, "inspectCommand"));

  pool
    .command("update")
    .description("Change a work pool's template, concurrency limit or description")
    .argument("<name>", "the pool's name")
    .option("--base-job-template <file>", "a JSON file { job_configuration, variables }")
    .option("--concurrency-limit <n>", "at most this many runs of the pool at once")
    .option("--description <text>", "what the pool is for")
    .action(lazy(ctx, actions, "updateCommand"));

  for (const [verb, paused] of [["pause", true], ["resume", false]] as const) {
    pool
      .command(verb)
      .description(paused ? "Pause a work pool: its workers claim no new runs" : "Resume a paused work pool")
      .argument("<name>", "the pool's name")
      .action(lazy(ctx, actions, `${verb}Command` as const));
  }

  pool
    .command("clear-concurrency-limit")
    .description("Remove a work pool's concurrency limit: its runs start as workers claim them")
    .argument("<name>", "the pool's name")
    .addHelpText("after", "\nExamples:\n  baton work-pool clear-concurrency-limit prod\n  baton work-pool update prod --concurrency-limit 0   # no run starts (as in Prefect)")
    .action(lazy(ctx, actions, "clearConcurrencyLimitCommand"));

  removal(pool.command("delete"))
    .description("Delete a work pool and its queues")
    .argument("<name>", "the pool's name")
    .action(lazy(ctx, actions, "deleteCommand"));

  pool
    .command("default-template")
    .description("Print a pool type's default base job template (JSON), to edit and pass to --base-job-template")
    .requiredOption("--type <type>", `the pool type: ${WORK_POOL_TYPES.join(", ")}`)
    .action(lazy(ctx, actions, "defaultTemplateCommand"));
}
