import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/flow-run-dispatch.js");

/** The flow-run verbs of workers and operators: execute (in a worker's child), cancel, why. */
export function registerFlowRunDispatch(flowRun: Command, ctx: CommandContext): void {
  flowRun
    .command("execute")
    .description("Run a deployment's flow run here: pull steps, entrypoint, parameters (what a worker starts)")
    .argument("[id]", "the flow run's ID (default: BATON_FLOW_RUN_ID)")
    .action(lazy(ctx, () => import("../flow-run/execute.js"), "executeCommand"));

  flowRun
    .command("cancel")
    .description("Cancel a flow run: at once if it has not started, else its process is stopped")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .action(lazy(ctx, actions, "cancelCommand"));

  flowRun
    .command("why")
    .description("Explain why a flow run has not started, with what to do about each reason")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .option("--json", "print the reasons as JSON")
    .action(lazy(ctx, actions, "whyCommand"));
}
