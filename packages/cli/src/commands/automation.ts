import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect, removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/automation.js");

/** Automations: triggers (a run enters a state, runs too long or does not reach a state in time, a deployment misses its daily deadline, a pool loses its workers) and the actions they fire, on the server. */
export function registerAutomation(program: Command, ctx: CommandContext): void {
  const command = program.command("automation").description("Triggers and actions on the server: when runs fail, run too long, do not reach a state in time or do not complete in time, or a pool has no worker: run a deployment, cancel, pause or notify");

  command
    .command("create")
    .description("Create an automation")
    .argument("<name>", "letters, digits, '.', '-' and '_'")
    .option("--on <states>", "trigger: a run enters failed, crashed, late, cancelled or completed (comma-separated)")
    .option("--running-longer-than <duration>", "trigger: a run is still Running this long after it started (90s, 30m, 2h, 1d)")
    .option("--after-state <states>", "trigger: a run entered one of these states (comma-separated, e.g. pending) ...")
    .option("--expect-state <states>", "... and did not enter any of these (e.g. running) ...")
    .option("--within <duration>", "... within this long after (90s, 10m, 2h); fires once per entry")
    .option("--expect-completed-by <HH:MM>", "trigger: fires when no run of --deployment Completed by this time of day (once a day)")
    .option("--timezone <zone>", "the clock of --expect-completed-by (default: the deployment's schedule's, else UTC)")
    .option("--pool-offline-for <duration>", "trigger: a pool (--pool, or any) has had no online worker this long (once an outage)")
    .option("--flow <name>", "only runs of this flow (repeatable)", collect, [])
    .option("--deployment <flow/name>", "only runs of this deployment (repeatable)", collect, [])
    .option("--tag <tag>", "only runs with this tag (repeatable)", collect, [])
    .option("--pool <name>", "only runs in this pool (repeatable)", collect, [])
    .option("--run-deployment <flow/name>", "action: run this deployment (repeatable)", collect, [])
    .option("--param <key=value>", "a parameter of that run; {{ flow_run.id }}, {{ flow_run.name }}, {{ state.message }} take the triggering run's", collect, [])
    .option("--cancel-run", "action: cancel the triggering run")
    .option("--pause-deployment <flow/name>", "action: pause this deployment's schedules (repeatable)", collect, [])
    .option("--resume-deployment <flow/name>", "action: resume this deployment (repeatable)", collect, [])
    .option("--pause-pool <name>", "action: pause this work pool (repeatable)", collect, [])
    .option("--resume-pool <name>", "action: resume this work pool (repeatable)", collect, [])
    .option("--notify <rule>", "action: send through this notification rule's target (repeatable)", collect, [])
    .option("--disabled", "create it paused")
    .option("--json", "print the automation as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  baton automation create retry-cleanup --on failed --deployment etl/nightly --run-deployment etl/cleanup --param failed_run='{{ flow_run.id }}'\n  baton automation create too-long --running-longer-than 2h --flow etl --cancel-run --notify ops-slack\n  baton automation create stuck-pending --after-state pending --expect-state running --within 10m --pool k8s --notify ops-slack\n  baton automation create etl-late --expect-completed-by 07:00 --deployment etl/nightly --timezone Europe/Paris --notify ops-slack\n  baton automation create k8s-down --pool-offline-for 10m --pool k8s --notify ops-slack",
    )
    .action(lazy(ctx, actions, "createCommand"));

  command
    .command("ls")
    .description("List automations")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print them as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  command
    .command("inspect")
    .description("Show one automation with its trigger and actions")
    .argument("<name>")
    .option("--json", "print it as JSON")
    .action(lazy(ctx, actions, "inspectCommand"));

  for (const verb of ["pause", "resume"] as const) {
    command
      .command(verb)
      .description(verb === "pause" ? "Stop it firing" : "Let it fire again")
      .argument("<name>")
      .action(lazy(ctx, actions, `${verb}Command`));
  }

  removal(command.command("delete"))
    .description("Delete an automation (its firings stay)")
    .argument("<name>")
    .action(lazy(ctx, actions, "deleteCommand"));

  command
    .command("firings")
    .description("Each firing, newest first, with attempts and the last error")
    .option("--automation <name>", "only this automation's")
    .option("--flow-run <id>", "only about this flow run")
    .option("--limit <n>", "how many (default 20)")
    .option("--json", "print them as JSON")
    .action(lazy(ctx, actions, "firingsCommand"));
}
