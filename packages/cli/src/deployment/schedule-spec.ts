import { z } from "zod";
import { ScheduleSpecSchema, type ScheduleSpec } from "@baton/core";
import { UsageError } from "../errors.js";
import { parseRunParameters } from "../run/params.js";
import { DURATION, durationMs } from "../time/duration.js";

const Flags = z.object({
  cron: z.string().optional(),
  interval: z.string().optional(),
  rrule: z.string().optional(),
  timezone: z.string().optional(),
  anchorDate: z.string().optional(),
  dayOr: z.boolean().optional(),
  param: z.array(z.string()).default([]),
  params: z.string().optional(),
  inactive: z.boolean().default(false),
});

/** The schema's field, and the flag that gave it. */
const FLAG_OF: Record<string, string> = {
  cron: "--cron",
  interval: "--interval",
  rrule: "--rrule",
  timezone: "--timezone",
  anchor_date: "--anchor-date",
  day_or: "--day-or/--no-day-or",
};

/** `3600`, `10m`, `1h30m` as seconds; anything else (`PT1H`, a typo) goes to the schema as text, which reads ISO 8601 or names the problem. */
function intervalValue(text: string): number | string {
  if (/^\d+$/.test(text)) return Number(text);
  if (text !== "" && DURATION.test(text)) return durationMs(text) / 1000;
  return text;
}

/**
 * `baton deployment schedule create`'s flags as the schedule the server stores, checked by the
 * same schema the server parses the body with, so a cron, rrule, interval or time zone it would
 * refuse is refused here first (exit 2) with the flag named.
 */
export function scheduleFromFlags(raw: unknown): ScheduleSpec {
  const flags = Flags.parse(raw ?? {});
  const kinds = (["cron", "interval", "rrule"] as const).filter((k) => flags[k] !== undefined);
  if (kinds.length === 0) throw new UsageError('give one of --cron, --interval or --rrule, e.g. --cron "0 9 * * *", --interval 10m, --rrule "FREQ=DAILY;BYHOUR=9"');
  if (kinds.length > 1) throw new UsageError(`${kinds.map((k) => `--${k}`).join(" and ")} cannot be used together; a schedule is one of them (create one schedule for each)`);
  if (flags.anchorDate !== undefined && flags.interval === undefined) throw new UsageError("--anchor-date goes with --interval: it says where the intervals are counted from");
  if (flags.dayOr !== undefined && flags.cron === undefined) {
    throw new UsageError(`--${flags.dayOr ? "" : "no-"}day-or goes with --cron: it says how a cron's day-of-month and day-of-week fields combine`);
  }
  const parameters = parseRunParameters(flags.param, flags.params);
  const interval = flags.interval !== undefined ? intervalValue(flags.interval) : undefined;
  if (interval === 0) throw new UsageError("--interval must be longer than 0 seconds, e.g. 10m or 3600");
  const parsed = ScheduleSpecSchema.safeParse({
    ...(flags.cron !== undefined ? { cron: flags.cron } : {}),
    ...(interval !== undefined ? { interval } : {}),
    ...(flags.rrule !== undefined ? { rrule: flags.rrule } : {}),
    ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}),
    ...(flags.anchorDate !== undefined ? { anchor_date: flags.anchorDate } : {}),
    ...(flags.dayOr !== undefined ? { day_or: flags.dayOr } : {}),
    active: !flags.inactive,
    parameters,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = FLAG_OF[String(issue.path[0])] ?? `--${kinds[0]}`;
  const hint = flag === "--interval" ? "; a duration such as 30s, 10m, 2h or 1d works too" : "";
  throw new UsageError(`${flag}: ${issue.message}${hint}`);
}
