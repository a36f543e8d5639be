/** `10m`, `2h`, `1h30m`, `45s`, `1d`: what --start-in and --since take. */
export const DURATION = /^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;
export const DURATION_HELP = "must be a duration: a number and a unit, e.g. 30s, 10m, 2h, 1d (or 1h30m)";
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

export function durationMs(text: string): number {
  return [...text.matchAll(/(\d+)([dhms])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
}

/**
 * A point in time given as a time (`2026-12-24T08:00:00Z`; no offset: this machine's time zone)
 * or as a duration back from now (`1d`: a day ago), for --since and --until. Undefined when it is neither.
 */
export function pastTime(text: string, now: number = Date.now()): string | undefined {
  if (text !== "" && DURATION.test(text) && durationMs(text) > 0) return new Date(now - durationMs(text)).toISOString();
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}
