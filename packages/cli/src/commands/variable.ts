import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/variable.js");

/** Plain configuration values for `{{ baton.variables.NAME }}`: not secret, readable by anyone with read access. */
export function registerVariable(program: Command, ctx: CommandContext): void {
  const variable = program.command("variable").description("Variables for pull steps and job templates ({{ baton.variables.NAME }})");

  variable
    .command("set")
    .description("Create a variable (replace one with --overwrite); the value is read as JSON when it is valid JSON, else as text")
    .argument("<name>", "letters, digits, '-' and '_'")
    .argument("<value>", 'e.g. main, 3, \'{"region":"eu"}\'')
    .option("--overwrite", "replace the variable's value if it exists")
    .addHelpText("after", "\nExamples:\n  baton variable set branch main\n  baton variable set limits '{\"rows\":100}' --overwrite")
    .action(lazy(ctx, actions, "setCommand"));

  variable
    .command("get")
    .description("Print a variable's value as JSON")
    .argument("<name>", "the variable's name")
    .action(lazy(ctx, actions, "getCommand"));

  variable
    .command("ls")
    .description("List variables with their values")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the variables as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  removal(variable.command("delete"))
    .description("Delete a variable")
    .argument("<name>", "the variable's name")
    .action(lazy(ctx, actions, "deleteCommand"));
}
