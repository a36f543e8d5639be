import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/flow.js");

/** Flows are registered by name the first time they run or are deployed. */
export function registerFlow(program: Command, ctx: CommandContext): void {
  const flow = program.command("flow").description("Flows: list them, inspect one with its deployments and recent runs");

  flow
    .command("ls")
    .description("List flows by name")
    .option("--limit <n>", "at most this many flows", "100")
    .option("--json", "print the flows as a JSON array")
    .addHelpText("after", "\nExamples:\n  baton flow ls\n  baton flow ls --json | jq -r '.[].name'")
    .action(lazy(ctx, actions, "lsCommand"));

  flow
    .command("inspect")
    .description("Show a flow: its ID, tags, deployments and newest runs")
    .argument("<name>", "the flow's name (from baton flow ls)")
    .option("--json", "print the flow, its deployments and recent runs as one JSON object")
    .addHelpText("after", "\nExamples:\n  baton flow inspect etl-flow")
    .action(lazy(ctx, actions, "inspectCommand"));
}
