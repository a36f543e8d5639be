import { z } from "zod";
import { nextCronWall, parseCron } from "./cron/index.js";
import { parseRRule } from "./rrule.js";
import { isValidTimeZone } from "./zone.js";

export { isValidTimeZone } from "./zone.js";

const ISO_DURATION = /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `PT1H30M` -> 5400. Weeks and days are fixed lengths (7 x 24 h, 24 h): an interval is elapsed time. */
export function parseIsoDuration(text: string): number | undefined {
  const m = ISO_DURATION.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number, number];
  return w * 604800 + d * 86400 + h * 3600 + min * 60 + s;
}

const timezone = z.string().superRefine((tz, ctx) => {
  if (!isValidTimeZone(tz)) ctx.addIssue({ code: "custom", message: `"${tz}" is not an IANA time zone; use a name such as Europe/Paris or UTC` });
});

const cron = z.string().superRefine((pattern, ctx) => {
  try {
    parseCron(pattern);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `"${pattern}" is not a valid cron expression (${(error as Error).message}); example: "0 * * * *" for every hour` });
  }
});

const rrule = z.string().superRefine((text, ctx) => {
  try {
    parseRRule(text, "UTC");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid RFC 5545 rule (${(error as Error).message}); example: "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9"` });
  }
});

const interval = z.union([z.number().positive(), z.string()]).transform((v, ctx) => {
  if (typeof v === "number") {
    if (Number.isInteger(v)) return v;
    ctx.addIssue({ code: "custom", message: `${v} is not a whole number of seconds; scheduled times are whole seconds` });
    return z.NEVER;
  }
  const seconds = parseIsoDuration(v);
  if (seconds === undefined || seconds <= 0 || !Number.isInteger(seconds)) {
    ctx.addIssue({ code: "custom", message: `"${v}" is not a number of seconds or an ISO-8601 duration such as PT1H or P1D` });
    return z.NEVER;
  }
  return seconds;
});

const expressionShape = {
  cron: cron.optional(),
  interval: interval.optional(),
  rrule: rrule.optional(),
  /** Cron only, as Prefect's option: true (the default) fires on a day matching day-of-month OR day-of-week when both are restricted; false needs both. */
  day_or: z.boolean().optional(),
  anchor_date: z.string().datetime({ offset: true, message: "must be an ISO-8601 timestamp with a time zone, e.g. 2026-01-01T00:00:00Z" }).optional(),
  timezone: timezone.default("UTC"),
};

type Expression = { cron?: string; interval?: number; rrule?: string; day_or?: boolean; anchor_date?: string };

/** Exactly one of cron, interval or rrule, with only the options that go with it; a cron that can fire. */
function checkExpression(s: Expression, ctx: z.RefinementCtx): void {
  const kinds = (["cron", "interval", "rrule"] as const).filter((k) => s[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.addIssue({ code: "custom", message: kinds.length === 0 ? "a schedule needs one of cron, interval or rrule" : `a schedule takes one of cron, interval or rrule, not ${kinds.join(" and ")}` });
  }
  if (s.anchor_date && s.interval === undefined) ctx.addIssue({ code: "custom", path: ["anchor_date"], message: "anchor_date goes with interval" });
  if (s.day_or !== undefined && s.cron === undefined) ctx.addIssue({ code: "custom", path: ["day_or"], message: "day_or goes with cron" });
  if (s.cron !== undefined && kinds.length === 1) {
    try {
      if (nextCronWall(parseCron(s.cron), s.day_or ?? true, Date.UTC(2020, 0, 1)) === null) ctx.addIssue({ code: "custom", path: ["cron"], message: `"${s.cron}" never fires (no such day in 30 years)${s.day_or === false ? "; with day_or: false a day must match both day fields" : ""}` });
    } catch {
      // Reported by the field's own check.
    }
  }
}

/** When a schedule fires, without its on/off switch or parameters: what editing a schedule replaces. */
export const ScheduleExpressionSchema = z.object(expressionShape).strict().superRefine(checkExpression);
export type ScheduleExpression = z.output<typeof ScheduleExpressionSchema>;

/** One schedule of a deployment: exactly one of cron, interval or rrule. */
export const ScheduleSpecSchema = z
  .object({
    ...expressionShape,
    active: z.boolean().default(true),
    parameters: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine(checkExpression);
export type ScheduleSpec = z.output<typeof ScheduleSpecSchema>;
export type ScheduleSpecInput = z.input<typeof ScheduleSpecSchema>;
