import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect, removal } from "../flags.js";
import { lazy } from "../lazy.js";
import { registerDeploymentSchedule } from "./deployment-schedule.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/deployment.js");

export function registerDeployment(program: Command, ctx: CommandContext): void {
  const deployment = program.command("deployment").description("List, inspect, run, pause, resume and delete deployments, and change their schedules");

  deployment
    .command("ls")
    .description("List deployments")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the deployments as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  deployment
    .command("inspect")
    .description("Show a deployment: pool, parameters, schedules, pull steps, source")
    .argument("<flow/deployment>", "FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod), or its ID, ID prefix (8+ characters) or name")
    .option("--json", "print the deployment as JSON")
    .action(lazy(ctx, actions, "inspectCommand"));

  deployment
    .command("run")
    .description("Create a run of a deployment now; a worker of its pool runs it")
    .argument("<flow/deployment>", "FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod), or its ID, ID prefix (8+ characters) or name")
    .option("--param <name=value>", "a parameter; the value is read as JSON when it is valid JSON, else as text (repeatable)", collect)
    .option("--params <json>", "parameters as one JSON object; --param values win over it")
    .option("--job-variable <name=value>", "a job variable for this run only, over the deployment's (repeatable)", collect)
    .option("--start-in <duration>", "schedule it this long from now: 30s, 10m, 2h, 1d, 1h30m")
    .option("--start-at <time>", "schedule it at this time (ISO 8601, e.g. 2026-12-24T08:00:00Z; no offset: this machine's time zone)")
    .option("--tag <tag>", "a tag for this run, besides the deployment's (repeatable)", collect)
    .option("--flow-run-name <name>", "the run's name (default: a generated one)")
    .option("--idempotency-key <key>", "the same key twice creates one run (a retried CI job)")
    .option("--watch", "follow the run to its end, printing its logs; exit non-zero unless it completes")
    .option("--json", "print the new run as JSON (with --watch, the finished run)")
    .addHelpText("after", "\nExamples:\n  baton deployment run etl-flow/etl-prod --param limit=2 --watch\n  baton deployment run etl-flow/etl-prod --start-in 10m --tag backfill --flow-run-name backfill-2026-12\n  baton deployment run etl-flow/etl-prod --job-variable env='{\"LOG\":\"debug\"}'")
    .action(lazy(ctx, actions, "runCommand"));

  for (const [verb, description] of [
    ["pause", "Pause a deployment's schedules (its future scheduled runs are removed)"],
    ["resume", "Resume a deployment's schedules"],
  ] as const) {
    deployment
      .command(verb)
      .description(description)
      .argument("<flow/deployment>", "FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod), or its ID, ID prefix (8+ characters) or name")
      .action(lazy(ctx, actions, `${verb}Command` as const));
  }

  removal(deployment.command("delete"))
    .description("Delete a deployment and its future scheduled runs (past runs stay)")
    .argument("<flow/deployment>", "FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod), or its ID, ID prefix (8+ characters) or name")
    .action(lazy(ctx, actions, "deleteCommand"));

  registerDeploymentSchedule(deployment, ctx);
}
