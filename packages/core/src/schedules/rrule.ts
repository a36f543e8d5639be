// rrule is CommonJS: Node cannot import its names directly (only bundlers and Vitest can). Its
// names are on the default export under Node's ESM, and on the namespace when this file is
// compiled to CommonJS (tsx's require hook does that when the SDK loads core with require()).
import * as rruleNamespace from "rrule";
import type { Options } from "rrule";
import { instantOf, isValidTimeZone, wallOf, wallTimesToInstants } from "./zone.js";

// Read through Reflect: a bundler (the UI's) sees `.default` on an ES namespace with no such
// export and warns on every build, though the fallback makes that case work.
const rrulePackage = ((Reflect.get(rruleNamespace, "default") as typeof rruleNamespace | undefined) ?? rruleNamespace) as typeof rruleNamespace;
const { RRule, RRuleSet } = rrulePackage;

export class RRuleSyntaxError extends Error {
  override name = "RRuleSyntaxError";
}

/**
 * Where a rule without DTSTART starts: 2020-01-01 00:00:00 in the schedule's time zone, as
 * Prefect does. A fixed anchor, so every scheduler pass, restart and replica computes the
 * same times; the parts a rule leaves out (BYHOUR, BYMINUTE, BYSECOND, the weekday of a
 * WEEKLY rule) come from it, so FREQ=WEEKLY;BYDAY=MO;BYHOUR=9 fires at 09:00:00.
 */
export const RRULE_DEFAULT_ANCHOR = "2020-01-01T00:00:00";
const ANCHOR_WALL = Date.UTC(2020, 0, 1);

/** `20260301T090000` or `20260301` as floating milliseconds, and whether it ended in Z. */
function readStamp(text: string, what: string): { wall: number; utc: boolean } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/i.exec(text.trim());
  if (!m) throw new RRuleSyntaxError(`${what} "${text}" is not a date-time such as 20260301T090000 (local), 20260301T090000Z (UTC) or 20260301`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new RRuleSyntaxError(`${what} "${text}" is not a real date and time`);
  return { wall, utc: m[7] !== undefined && m[7] !== "" };
}

/** `DTSTART;TZID=Europe/Paris` -> { name: "DTSTART", tzid: "Europe/Paris" }. */
function readName(head: string): { name: string; tzid: string | undefined } {
  const [name, ...params] = head.split(";");
  let tzid: string | undefined;
  for (const p of params) {
    const [k, v] = p.split("=");
    if (k?.toUpperCase() === "TZID" && v) {
      if (!isValidTimeZone(v)) throw new RRuleSyntaxError(`TZID "${v}" is not an IANA time zone; use a name such as Europe/Paris`);
      tzid = v;
    }
  }
  return { name: name!.toUpperCase(), tzid };
}

interface ParsedRules {
  timeZone: string;
  start: number;
  rrules: Partial<Options>[];
  exrules: Partial<Options>[];
  rdates: number[];
  exdates: number[];
}

/**
 * Read a rule (RFC 5545: RRULE, EXRULE, RDATE, EXDATE, DTSTART lines, or a bare
 * `FREQ=...`) into floating wall times of one zone: DTSTART's TZID, UTC for a DTSTART in Z,
 * else the schedule's zone. A UNTIL, RDATE or EXDATE given in UTC or another zone is moved
 * to that zone's wall time. Nothing here depends on the process's time zone.
 */
export function parseRRule(text: string, scheduleZone: string): ParsedRules {
  const lines = text.replace(/\r?\n[ \t]/g, "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) throw new RRuleSyntaxError("the rule is empty; example: FREQ=WEEKLY;BYDAY=MO;BYHOUR=9");
  const startLine = lines.find((l) => /^DTSTART[;:]/i.test(l));
  let timeZone = scheduleZone;
  let start = ANCHOR_WALL;
  if (startLine) {
    const colon = startLine.indexOf(":");
    const { tzid } = readName(startLine.slice(0, colon));
    const stamp = readStamp(startLine.slice(colon + 1), "DTSTART");
    if (stamp.utc && tzid) throw new RRuleSyntaxError("DTSTART has both a TZID and a Z; give one of them");
    timeZone = stamp.utc ? "UTC" : (tzid ?? scheduleZone);
    start = stamp.wall;
  }
  const toWall = (value: string, tzid: string | undefined, what: string) => {
    const stamp = readStamp(value, what);
    if (stamp.utc) return wallOf(timeZone, stamp.wall);
    if (tzid && tzid !== timeZone) return wallOf(timeZone, instantOf(tzid, stamp.wall).instant);
    return stamp.wall;
  };
  const parsed: ParsedRules = { timeZone, start, rrules: [], exrules: [], rdates: [], exdates: [] };
  for (const line of lines) {
    if (line === startLine) continue;
    const colon = line.indexOf(":");
    const bare = colon < 0 || /^FREQ=/i.test(line);
    const { name, tzid } = bare ? { name: "RRULE", tzid: undefined } : readName(line.slice(0, colon));
    const body = bare ? line : line.slice(colon + 1);
    if (name === "RRULE" || name === "EXRULE") {
      (name === "RRULE" ? parsed.rrules : parsed.exrules).push(readRule(body, toWall));
    } else if (name === "RDATE" || name === "EXDATE") {
      for (const value of body.split(",")) (name === "RDATE" ? parsed.rdates : parsed.exdates).push(toWall(value, tzid, name));
    } else {
      throw new RRuleSyntaxError(`"${name}" is not a line Baton reads; use RRULE, EXRULE, RDATE, EXDATE and DTSTART`);
    }
  }
  if (parsed.rrules.length === 0 && parsed.rdates.length === 0) throw new RRuleSyntaxError("the rule has no RRULE or RDATE; example: FREQ=WEEKLY;BYDAY=MO;BYHOUR=9");
  return parsed;
}

function readRule(body: string, toWall: (value: string, tzid: string | undefined, what: string) => number): Partial<Options> {
  if (/(^|;)DTSTART=|(^|;)TZID=/i.test(body)) throw new RRuleSyntaxError("DTSTART goes on its own line: DTSTART;TZID=Europe/Paris:20260101T090000, then RRULE:...");
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (error) {
    throw new RRuleSyntaxError((error as Error).message);
  }
  if (options.freq === undefined || options.freq === null) {
    const given = /(?:^|;)FREQ=([^;]*)/i.exec(body)?.[1];
    throw new RRuleSyntaxError(given === undefined ? "a rule needs FREQ, e.g. FREQ=DAILY" : `FREQ "${given}" is not one of ${RRule.FREQUENCIES.join(", ")}`);
  }
  const until = /(?:^|;)UNTIL=([^;]+)/i.exec(body)?.[1];
  if (until !== undefined) options.until = new Date(toWall(until, undefined, "UNTIL"));
  return options;
}

const FIXED_PERIOD_MS: Partial<Record<number, number>> = {
  [RRule.WEEKLY]: 7 * 86_400_000,
  [RRule.DAILY]: 86_400_000,
  [RRule.HOURLY]: 3_600_000,
  [RRule.MINUTELY]: 60_000,
  [RRule.SECONDLY]: 1000,
};

/**
 * A start moved forward by whole periods of the rule, to one period before `near`: the same
 * occurrences from there on, without walking every one since 2020 (a MINUTELY rule has
 * three million). A rule with COUNT counts from its real start, and is left as it is.
 */
export function advancedStart(options: Partial<Options>, start: number, near: number): number {
  if (options.count !== undefined && options.count !== null) return start;
  const interval = options.interval || 1;
  const fixed = FIXED_PERIOD_MS[options.freq!];
  if (fixed !== undefined) {
    const period = fixed * interval;
    const k = Math.floor((near - start) / period) - 1;
    return k > 0 ? start + k * period : start;
  }
  const date = new Date(start);
  // A 29th-31st does not exist in every month: moving it would change the rule.
  if (date.getUTCDate() > 28) return start;
  const months = options.freq === RRule.MONTHLY ? interval : 12 * interval;
  const elapsed = (new Date(near).getUTCFullYear() - date.getUTCFullYear()) * 12 + new Date(near).getUTCMonth() - date.getUTCMonth();
  const k = Math.floor(elapsed / months) - 1;
  if (k <= 0) return start;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + k * months, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}

/** Times a rule fires strictly after `after`, with the same daylight-saving policy as cron. */
export function rruleTimes(text: string, scheduleZone: string, after: Date, until: Date, limit: number): Date[] {
  const parsed = parseRRule(text, scheduleZone);
  const near = wallOf(parsed.timeZone, after.getTime()) - 2 * 86_400_000;
  const set = new RRuleSet();
  const rule = (options: Partial<Options>) => new RRule({ ...options, tzid: null, dtstart: new Date(advancedStart(options, parsed.start, near)) });
  for (const options of parsed.rrules) set.rrule(rule(options));
  for (const options of parsed.exrules) set.exrule(rule(options));
  for (const wall of parsed.rdates) set.rdate(new Date(wall));
  for (const wall of parsed.exdates) set.exdate(new Date(wall));
  return wallTimesToInstants(wallStream(set, parsed.rrules), parsed.timeZone, after, until, limit);
}

/**
 * The set's wall times in windows: each call to `after()` would walk the rule from its start
 * again (from 2020 for a rule with COUNT), so read a window at a time, sized to hold about
 * 256 occurrences of the most frequent rule, doubled while it finds nothing. Calls come with
 * growing wall times, as wallTimesToInstants makes them.
 */
function wallStream(set: InstanceType<typeof RRuleSet>, rules: Partial<Options>[]): (wall: number) => number | null {
  const periods = rules.map((r) => (FIXED_PERIOD_MS[r.freq!] ?? (r.freq === RRule.MONTHLY ? 31 : 366) * 86_400_000) * (r.interval || 1));
  const firstWindow = Math.max(1000, Math.min(Math.min(...periods) * 256, 50 * 366 * 86_400_000));
  const lastWall = 8.64e15;
  let buffer: number[] = [];
  let readUntil = -Infinity;
  return (wall) => {
    let window = firstWindow;
    for (;;) {
      const next = buffer.find((t) => t > wall);
      if (next !== undefined) return next;
      const from = Math.max(wall, readUntil);
      if (from >= lastWall || window > 400 * 366 * 86_400_000) return null;
      readUntil = Math.min(lastWall, from + window);
      buffer = set.between(new Date(from), new Date(readUntil), true).map((d) => d.getTime());
      window *= 2;
    }
  };
}
