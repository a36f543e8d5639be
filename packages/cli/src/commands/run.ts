import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/run.js");

export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command("run")
    .description("Run a flow from a file, here and now, and record the run")
    .argument("<entrypoint>", "the flow to run: path/to/file.ts:exportName (e.g. flows/etl.ts:etlFlow)")
    .option("--param <name=value>", "a parameter; the value is read as JSON when it is valid JSON, else as text (repeatable)", collect)
    .option("--params <json>", "parameters as one JSON object; --param values win over it")
    .option("--json", "print one JSON object with the run's ID, state and result")
    .addHelpText("after", "\nExamples:\n  baton run flows/etl.ts:etlFlow --param limit=2\n  baton run flows/etl.ts:etlFlow --params '{\"limit\":2,\"uppercase\":false}'")
    .action(lazy(ctx, actions, "runCommand"));
}
