import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/concurrency-limit.js");

/**
 * Global concurrency and rate limits held by the server for every pod and replica:
 * `concurrency("NAME", n, fn)` and `rateLimit("NAME")` in flow code, `tag:TAG` limits for tagged task runs.
 */
export function registerConcurrencyLimit(program: Command, ctx: CommandContext): void {
  const command = program.command("concurrency-limit").description("Global concurrency and rate limits, shared by every run on every pod (concurrency() and rateLimit() in flow code)");

  command
    .command("create")
    .description("Create a limit; with --slot-decay-per-second it is also a rate limit for rateLimit()")
    .argument("<name>", "letters, digits, '.', '-' and '_'")
    .requiredOption("--limit <n>", "slots at once")
    .option("--slot-decay-per-second <r>", "slots taken by rateLimit() come back at this rate")
    .option("--inactive", "create it switched off (it limits nothing until updated --active)")
    .option("--json", "print the limit as JSON")
    .addHelpText("after", "\nExamples:\n  baton concurrency-limit create warehouse --limit 1\n  baton concurrency-limit create crm-api --limit 10 --slot-decay-per-second 2")
    .action(lazy(ctx, actions, "createCommand"));

  command
    .command("create-tag")
    .description("Limit the task runs tagged TAG, across every flow run, to N at once")
    .argument("<tag>", "the task tag")
    .argument("<limit>", "task runs at once")
    .option("--json", "print the limit as JSON")
    .addHelpText("after", "\nExample:\n  baton concurrency-limit create-tag database 5   # task({ name: 'q', tags: ['database'] }, ...)")
    .action(lazy(ctx, actions, "createTagCommand"));

  command
    .command("ls")
    .description("List limits with the slots in use")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the limits as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  command
    .command("inspect")
    .description("Show one limit and its slots in use")
    .argument("<name>", "the limit's name (tag:TAG for a tag limit)")
    .option("--json", "print the limit as JSON")
    .action(lazy(ctx, actions, "inspectCommand"));

  command
    .command("update")
    .description("Change a limit's size, decay, or switch it on or off")
    .argument("<name>", "the limit's name (tag:TAG for a tag limit)")
    .option("--limit <n>", "slots at once")
    .option("--slot-decay-per-second <r>", "slots taken by rateLimit() come back at this rate (0: never)")
    .option("--active", "switch it on")
    .option("--no-active", "switch it off: it limits nothing")
    .option("--json", "print the limit as JSON")
    .addHelpText("after", "\nExample:\n  baton concurrency-limit update warehouse --limit 3")
    .action(lazy(ctx, actions, "updateCommand"));

  removal(command.command("delete"))
    .description("Delete a limit; runs waiting on it fail with ConcurrencyLimitNotFound at their next ask")
    .argument("<name>", "the limit's name (tag:TAG for a tag limit)")
    .action(lazy(ctx, actions, "deleteCommand"));
}
