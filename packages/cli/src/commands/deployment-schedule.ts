import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect, removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/deployment-schedule.js");

const DEPLOYMENT = "FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod), or its ID, ID prefix (8+ characters) or name";
const SCHEDULE = "the schedule's ID or an 8+ character ID prefix (baton deployment schedule ls lists them)";

/**
 * One schedule of a deployment at a time, as Prefect's `prefect deployment schedule`: `baton
 * deploy` sets the whole list from baton.yaml again, these change one without a redeploy.
 */
export function registerDeploymentSchedule(deployment: Command, ctx: CommandContext): void {
  const schedule = deployment.command("schedule").description("List, create, pause, resume and delete a deployment's schedules, one by one");

  schedule
    .command("ls")
    .description("A deployment's schedules: ID, what it fires on, active or paused, its next run")
    .argument("<flow/deployment>", DEPLOYMENT)
    .option("--limit <n>", "show at most this many (default 200)")
    .addHelpText("after", "\nExamples:\n  baton deployment schedule ls etl-flow/etl-prod\n  baton deployment schedule ls etl-flow/etl-prod -o json")
    .action(lazy(ctx, actions, "lsCommand"));

  schedule
    .command("create")
    .description("Add a schedule to a deployment (one of --cron, --interval, --rrule); its runs are made at once")
    .argument("<flow/deployment>", DEPLOYMENT)
    .option("--cron <expression>", 'a cron expression, e.g. "0 9 * * 1-5" (09:00 on weekdays)')
    .option("--interval <every>", "every this long: seconds (3600), a duration (30s, 10m, 2h, 1d) or ISO 8601 (PT1H)")
    .option("--rrule <rule>", 'an RFC 5545 rule, e.g. "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9"')
    .option("--timezone <zone>", "the IANA time zone cron and rrule times are read in, e.g. Europe/Paris (default: UTC)")
    .option("--anchor-date <time>", "with --interval: the runs fall on this time plus whole intervals (ISO 8601 with an offset, e.g. 2026-01-01T09:00:00Z)")
    .option("--day-or", "with --cron: when both day fields are restricted, a day matching either fires (the default, as cron and Prefect do)")
    .option("--no-day-or", "with --cron: when both day fields are restricted, only a day matching both fires (\"0 9 13 * 5\": Friday the 13th)")
    .option("--param <name=value>", "a parameter of this schedule's runs, over the deployment's; the value is read as JSON when it is valid JSON, else as text (repeatable)", collect)
    .option("--params <json>", "this schedule's parameters as one JSON object; --param values win over it")
    .option("--inactive", "create it paused: it makes no runs until baton deployment schedule resume")
    .addHelpText(
      "after",
      '\nExamples:\n  baton deployment schedule create etl-flow/etl-prod --cron "0 9 * * 1-5" --timezone Europe/Paris\n  baton deployment schedule create etl-flow/etl-prod --interval 10m --param limit=100 --param region=eu\n  baton deployment schedule create etl-flow/etl-prod --cron "0 6 1-7 * 1" --no-day-or   # the first Monday of the month\n  baton deployment schedule create etl-flow/etl-prod --rrule "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6" --inactive -o json',
    )
    .action(lazy(ctx, actions, "createCommand"));

  for (const [verb, description] of [
    ["pause", "Pause one schedule (the future runs it made are removed; the deployment's other schedules go on)"],
    ["resume", "Resume a paused schedule (its coming runs are made again)"],
  ] as const) {
    schedule
      .command(verb)
      .description(description)
      .argument("<flow/deployment>", DEPLOYMENT)
      .argument("<schedule-id>", SCHEDULE)
      .addHelpText("after", `\nExamples:\n  baton deployment schedule ${verb} etl-flow/etl-prod 0190c0de-51ab`)
      .action(lazy(ctx, actions, `${verb}Command` as const));
  }

  removal(schedule.command("delete"))
    .description("Delete one schedule of a deployment with the future runs it made (past runs stay)")
    .argument("<flow/deployment>", DEPLOYMENT)
    .argument("<schedule-id>", SCHEDULE)
    .addHelpText("after", "\nExamples:\n  baton deployment schedule delete etl-flow/etl-prod 0190c0de-51ab        # asks first\n  baton deployment schedule rm etl-flow/etl-prod 0190c0de-51ab --yes    # in a script")
    .action(lazy(ctx, actions, "deleteCommand"));
}
