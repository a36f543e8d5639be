/**
 * Wall-clock arithmetic in an IANA time zone, with Intl only: nothing here reads the
 * process's own zone (TZ), so a server in New York and one in Tokyo compute the same instants.
 *
 * A "wall" time is a local date and time written as milliseconds since 1970-01-01T00:00 of
 * that calendar (a floating time: the UTC fields of `new Date(wall)` are the local fields).
 */

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", era: "short" });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Zones whose offset is 0 at every instant (tzdata's UTC and its links). Most schedules are in
 * UTC, and asking Intl costs tens of microseconds a time: 15 % of a scheduler pass's CPU.
 */
export const ALWAYS_UTC: ReadonlySet<string> = new Set(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "Etc/GMT", "GMT", "Etc/GMT0", "GMT0", "Etc/GMT+0", "GMT+0", "Etc/GMT-0", "GMT-0", "Etc/Greenwich", "Greenwich"]);

/** The zone's offset from UTC at an instant, in milliseconds (Athens in summer: +3 h). */
export function offsetAt(timeZone: string, instant: number): number {
  return ALWAYS_UTC.has(timeZone) ? 0 : intlOffsetAt(timeZone, instant);
}

/** `offsetAt` as Intl reads it from the zone's rules. */
export function intlOffsetAt(timeZone: string, instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(whole))) p[part.type] = part.value;
  const year = p.era === "BC" || p.era === "B" ? 1 - Number(p.year) : Number(p.year);
  const wall = Date.UTC(year, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  // Date.UTC maps years 0-99 to 1900-1999.
  const fixed = year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
  return fixed - whole;
}

/** The wall time of an instant in the zone. */
export const wallOf = (timeZone: string, instant: number): number => instant + offsetAt(timeZone, instant);

const DAY = 86_400_000;

/**
 * The instant of a wall time, by Prefect's daylight-saving policy (the same as Temporal's
 * "compatible"): a wall time that happens twice is its first occurrence; a wall time that a
 * change skips is moved forward by the length of the gap (02:30 in a one-hour gap at 02:00
 * is 03:30). `shift` is that gap, 0 for a wall time that exists.
 */
export function instantOf(timeZone: string, wall: number): { instant: number; shift: number } {
  const before = offsetAt(timeZone, wall - DAY);
  const after = offsetAt(timeZone, wall + DAY);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((t) => offsetAt(timeZone, t) === wall - t);
  if (valid.length > 0) return { instant: Math.min(...valid), shift: 0 };
  // In a gap: read the wall time with the offset in force before the change, which lands past the gap.
  return { instant: wall - before, shift: after - before };
}

/**
 * Turn a generator of matching wall times into the instants strictly after `after` and no
 * later than `until`, at most `limit`, sorted, each once. `nextWall(w)` answers the first
 * matching wall time strictly after w, or null.
 *
 * Wall times skipped by a change are moved past the gap, so they can land after later wall
 * times (a one-hour gap at 03:00 moves 03:40 to 04:40, after 04:00): the walk reads on until
 * no later wall time can come before what it has, and deduplicates (03:00 moved is 04:00).
 */
export function wallTimesToInstants(nextWall: (wall: number) => number | null, timeZone: string, after: Date, until: Date, limit: number): Date[] {
  const from = after.getTime();
  const end = until.getTime();
  // A wall time in a gap that closed in the last day lands after `from`: start early enough to see it.
  const offsetNow = offsetAt(timeZone, from);
  let cursor = from + Math.min(offsetNow, offsetAt(timeZone, from - DAY - 1)) - 1;
  const found = new Set<number>();
  let openUntil = -Infinity; // no wall time after this can land before what was found
  for (let steps = 0; steps < 1_000_000; steps++) {
    const wall = nextWall(cursor);
    if (wall === null) break;
    cursor = wall;
    const { instant, shift } = instantOf(timeZone, wall);
    if (wall > openUntil && (instant > end || found.size >= limit)) break;
    if (shift > 0) openUntil = Math.max(openUntil, wall + shift);
    if (instant > from && instant <= end) found.add(instant);
  }
  return [...found].sort((a, b) => a - b).slice(0, limit).map((t) => new Date(t));
}
