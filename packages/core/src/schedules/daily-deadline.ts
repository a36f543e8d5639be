import { instantOf, wallOf } from "./zone.js";

const DAY = 86_400_000;

/** `HH:MM` or `HH:MM:SS` on a 24-hour clock. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

function millisOfDay(time: string): number {
  const m = TIME_OF_DAY.exec(time);
  if (!m) throw new Error(`"${time}" is not a time of day; write HH:MM or HH:MM:SS, e.g. 07:00`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
}

/**
 * The latest instant at or before `now` when the clock in `timeZone` read `time`, with that local
 * day (YYYY-MM-DD): the deadline a "by 07:00 Europe/Paris" check looks at. A time that a
 * daylight-saving change skips counts from just after the gap, as schedules do.
 */
export function lastDailyDeadline(time: string, timeZone: string, now: Date): { at: Date; day: string } {
  const offset = millisOfDay(time);
  const today = Math.floor(wallOf(timeZone, now.getTime()) / DAY) * DAY;
  for (let day = today; ; day -= DAY) {
    const at = instantOf(timeZone, day + offset).instant;
    if (at <= now.getTime()) return { at: new Date(at), day: new Date(day).toISOString().slice(0, 10) };
  }
}
