import { cronTimes } from "./cron/index.js";
import { rruleTimes } from "./rrule.js";
import type { ScheduleSpec } from "./schema.js";

/**
 * Times a schedule is due strictly after `after` and no later than `until`, at most `limit`.
 * Cron and rrule run in the schedule's time zone (an rrule's DTSTART;TZID wins), by Prefect's
 * daylight-saving policy: a wall time that a change repeats runs once, at its first
 * occurrence; a wall time that a change skips runs moved forward by the gap. Every time is
 * a whole second, and the answer does not depend on the process's own time zone.
 */
export function nextRunTimes(spec: ScheduleSpec, after: Date, until: Date, limit: number): Date[] {
  if (limit <= 0 || until <= after) return [];
  if (spec.cron !== undefined) return cronTimes(spec.cron, spec.timezone, spec.day_or ?? true, after, until, limit);
  if (spec.interval !== undefined) return intervalTimes(spec.interval, spec.anchor_date, after, until, limit);
  return rruleTimes(spec.rrule!, spec.timezone, after, until, limit);
}

function intervalTimes(seconds: number, anchor: string | undefined, after: Date, until: Date, limit: number): Date[] {
  // Whole seconds, as every scheduled time: an interval stored before that rule is rounded.
  const step = Math.max(1, Math.round(seconds)) * 1000;
  const anchorMs = Math.floor((anchor ? Date.parse(anchor) : Date.UTC(2020, 0, 1)) / 1000) * 1000;
  // The first anchor + k * step strictly after `after`.
  let t = anchorMs + Math.max(0, Math.floor((after.getTime() - anchorMs) / step) + 1) * step;
  const out: Date[] = [];
  while (out.length < limit && t <= until.getTime()) {
    out.push(new Date(t));
    t += step;
  }
  return out;
}

