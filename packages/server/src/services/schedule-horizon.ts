import { nextRunTimes, type ScheduleSpec } from "@baton/core";

/** How far ahead each active schedule is kept filled. */
export const SCHEDULE_AHEAD = { minRuns: 3, minSeconds: 3600, maxRuns: 100, maxSeconds: 100 * 86400 } as const;

/** The times a schedule should have runs for: at least 3 runs and an hour ahead, at most 100 runs and 100 days. */
export function timesAhead(spec: ScheduleSpec, now: Date): Date[] {
  const until = new Date(now.getTime() + SCHEDULE_AHEAD.maxSeconds * 1000);
  const horizon = now.getTime() + SCHEDULE_AHEAD.minSeconds * 1000;
  return nextRunTimes(spec, now, until, SCHEDULE_AHEAD.maxRuns).filter((t, i) => i < SCHEDULE_AHEAD.minRuns || t.getTime() <= horizon);
}

export interface HorizonStep {
  /** The times to make runs for now: those `timesAhead(spec, now)` holds after `through`. */
  times: Date[];
  /** The last time runs exist for afterwards (null: none ahead). */
  through: Date | null;
  /** When the schedule next needs a look: the earliest moment `timesAhead` would hold a time after `through`. */
  due: Date;
}

/** Closer than this, a schedule may have more than 100 times in an hour and the run cap decides: it is computed whole. */
const DENSE_MS = (SCHEDULE_AHEAD.minSeconds * 1000) / SCHEDULE_AHEAD.maxRuns;
const DAY_MS = 86_400_000;
/** A schedule with no time ahead (an rrule that ended, a yearly cron) is looked at again after this. */
const RECHECK_MS = DAY_MS;
/**
 * A schedule with times ahead is looked at again within this even when nothing seems due: croner
 * skips a time inside a daylight-saving gap when asked from a moment after the gap started, so
 * "3 runs ahead" can drop early on such a day; an hourly look (a few look-ups) heals it.
 */
const LOOK_MS = SCHEDULE_AHEAD.minSeconds * 1000;

/**
 * Extend a schedule's horizon from where it stopped: the cost is the new times plus a handful
 * of look-ups (the first 3 times after now, the time after the last), never the 100 times
 * `timesAhead` asks for. The answer is the same set `timesAhead(spec, now)` has after `through`
 * (the schedule tests compare them), so the rules (3 runs and an hour, 100 runs and 100 days,
 * time zones and daylight saving through core's nextRunTimes) stay core's.
 */
export function extendHorizon(spec: ScheduleSpec, now: Date, through: Date | null): HorizonStep {
  const from = through && through > now ? through : now;
  const hour = new Date(now.getTime() + SCHEDULE_AHEAD.minSeconds * 1000);
  const until = new Date(now.getTime() + SCHEDULE_AHEAD.maxSeconds * 1000);
  const ahead = from > now ? nextRunTimes(spec, now, from, SCHEDULE_AHEAD.minRuns) : [];
  let times = nextRunTimes(spec, from, hour, SCHEDULE_AHEAD.maxRuns);
  const short = SCHEDULE_AHEAD.minRuns - ahead.length - times.length;
  if (short > 0) times.push(...nextRunTimes(spec, times.at(-1) ?? from, until, short));
  const known = [...ahead, ...times];
  if (known.some((t, i) => i > 0 && t.getTime() - known[i - 1]!.getTime() < DENSE_MS)) {
    // Possibly more than 100 times an hour: the cap counts the runs already made, so count them.
    const full = timesAhead(spec, now);
    times = full.filter((t) => t > from);
    known.splice(0, known.length, ...full);
  }
  const last = times.at(-1) ?? (through && through > now ? through : null);
  const next = nextRunTimes(spec, last ?? now, new Date(now.getTime() + 3660 * DAY_MS), 1)[0];
  let due = now.getTime() + RECHECK_MS;
  if (known.length >= SCHEDULE_AHEAD.minRuns) {
    due = Math.min(due, now.getTime() + LOOK_MS);
    // Fewer than 3 runs ahead once the third-last passes; the next time is needed an hour before it.
    due = Math.min(due, known[known.length - SCHEDULE_AHEAD.minRuns]!.getTime());
    if (next) due = Math.min(due, next.getTime() - SCHEDULE_AHEAD.minSeconds * 1000);
  } else if (next) {
    due = Math.min(due, next.getTime() - SCHEDULE_AHEAD.maxSeconds * 1000);
  }
  // Never due again within the same pass (a dense schedule capped at 100 runs would spin).
  return { times, through: last, due: new Date(Math.max(due, now.getTime() + 1000)) };
}
