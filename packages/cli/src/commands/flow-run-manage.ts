import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/flow-run-manage.js");

/** The flow-run verbs that follow or change one run: watch, retry, delete, resume. */
export function registerFlowRunManage(flowRun: Command, ctx: CommandContext): void {
  flowRun
    .command("watch")
    .description("Print a flow run's state changes until it ends; exit 0 when it completes, 1 otherwise, 124 on --timeout")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .option("--timeout <seconds>", "stop watching after this many seconds (the run goes on)")
    .option("--json", "print each state as a JSON object, one per line")
    .addHelpText("after", "\nExamples:\n  baton flow-run watch 0190c0de-... --timeout 600\n  baton flow-run watch $ID && echo done")
    .action(lazy(ctx, actions, "watchCommand"));

  flowRun
    .command("retry")
    .description("Run a finished deployment run again: it is scheduled now and a worker of its pool picks it up")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .option("--json", "print the run's new state as JSON")
    .addHelpText("after", "\nExamples:\n  baton flow-run retry 0190c0de-...\n  baton flow-run retry $ID && baton flow-run watch $ID")
    .action(lazy(ctx, actions, "retryCommand"));

  removal(flowRun.command("delete"))
    .description("Delete a flow run with its task runs, states and logs (asks first unless --yes)")
    .argument("<id>", "the flow run's ID, ID prefix (8+ characters) or name (from baton flow-run ls)")
    .addHelpText("after", "\nExamples:\n  baton flow-run delete 0190c0de-...\n  baton flow-run delete $ID --yes")
    .action(lazy(ctx, actions, "deleteCommand"));

  flowRun
    .command("resume")
    .description("Resume a Paused flow run (pauseFlowRun in its code), with the input it waits for")
    .argument("<id>", "the flow run's ID (from baton flow-run ls --state paused)")
    .option("--input <json>", "the input, as a JSON object matching the schema the run waits for")
    .option("--json", "print the resumed run as JSON")
    .addHelpText("after", `\nExamples:\n  baton flow-run resume 0190c0de-...\n  baton flow-run resume 0190c0de-... --input '{"approved": true}'`)
    .action(lazy(ctx, actions, "resumeCommand"));
}
