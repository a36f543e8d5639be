import { Cron } from "croner";
// rrule is CommonJS: Node cannot import its names directly (only bundlers and Vitest can).
import rrulePackage from "rrule";

const { rrulestr } = rrulePackage;
import type { ScheduleSpec } from "./schema.js";

/**
 * Times a schedule is due strictly after `after` and no later than `until`, at most `limit`.
 * Cron runs in the schedule's time zone: a time that a daylight-saving change skips runs once,
 * at the first valid time after it, and a time that a change repeats runs once.
 */
export function nextRunTimes(spec: ScheduleSpec, after: Date, until: Date, limit: number): Date[] {
  if (limit <= 0 || until <= after) return [];
  if (spec.cron !== undefined) return cronTimes(spec.cron, spec.timezone, after, until, limit);
  if (spec.interval !== undefined) return intervalTimes(spec.interval, spec.anchor_date, after, until, limit);
  return rruleTimes(spec.rrule!, spec.timezone, after, until, limit);
}

function cronTimes(pattern: string, timezone: string, after: Date, until: Date, limit: number): Date[] {
  const cron = new Cron(pattern, { timezone, paused: true });
  const out: Date[] = [];
  let cursor: Date | null = after;
  while (out.length < limit) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor > until) break;
    out.push(cursor);
  }
  return out;
}

function intervalTimes(seconds: number, anchor: string | undefined, after: Date, until: Date, limit: number): Date[] {
  const step = seconds * 1000;
  const anchorMs = anchor ? Date.parse(anchor) : Date.UTC(2020, 0, 1);
  // The first anchor + k * step strictly after `after`.
  let t = anchorMs + Math.max(0, Math.floor((after.getTime() - anchorMs) / step) + 1) * step;
  const out: Date[] = [];
  while (out.length < limit && t <= until.getTime()) {
    out.push(new Date(t));
    t += step;
  }
  return out;
}

function rruleTimes(text: string, timezone: string, after: Date, until: Date, limit: number): Date[] {
  const hasStart = /DTSTART/i.test(text);
  const body = /RRULE:/i.test(text) || hasStart ? text : `RRULE:${text}`;
  const rule = rrulestr(hasStart ? body : `DTSTART;TZID=${timezone}:${compactLocal(after, timezone)}\n${body}`);
  return rule.between(after, until, false).slice(0, limit);
}

/** `20260101T090000` in the given time zone, the form DTSTART;TZID= takes. */
function compactLocal(date: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}
