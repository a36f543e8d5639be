import type { CronSpec } from "./parse.js";

const at = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, m, d, h, mi, s);
const daysIn = (y: number, m: number) => new Date(at(y, m + 1, 0)).getUTCDate();
const weekday = (y: number, m: number, d: number) => new Date(at(y, m, d)).getUTCDay();

/** The weekday (Mon-Fri) nearest day `n`, without leaving the month; undefined if the month has no day n. */
function nearestWeekday(y: number, m: number, n: number, last: number): number | undefined {
  if (n > last) return undefined;
  const wd = weekday(y, m, n);
  if (wd === 6) return n === 1 ? 3 : n - 1;
  if (wd === 0) return n === last ? n - 2 : n + 1;
  return n;
}

function dayMatches(spec: CronSpec, dayOr: boolean, y: number, m: number, d: number): boolean {
  const last = daysIn(y, m);
  const wd = weekday(y, m, d);
  const { dom, dow } = spec;
  const byDom = () =>
    dom.days[d] === true ||
    dom.fromLast.some((n) => last - n === d) ||
    dom.nearestWeekday.some((n) => nearestWeekday(y, m, n, last) === d) ||
    (dom.lastWeekday && nearestWeekday(y, m, last, last) === d);
  const byDow = () => dow.days[wd] === true || dow.nth.some(([w, n]) => w === wd && Math.ceil(d / 7) === n) || dow.last.some((w) => w === wd && d + 7 > last);
  if (spec.domStar && spec.dowStar) return true;
  if (spec.domStar) return byDow();
  if (spec.dowStar) return byDom();
  return dayOr ? byDom() || byDow() : byDom() && byDow();
}

const firstFrom = (values: number[], from: number) => values.find((v) => v >= from);

/** How far a search looks before it says an expression never fires (a 29 February that is a Monday comes every 28 years at most). */
const SEARCH_YEARS = 30;

/**
 * The first wall time (floating milliseconds) strictly after `wall` that the expression
 * matches, or null when none comes within 30 years. Calendar fields only: no time zone.
 */
export function nextCronWall(spec: CronSpec, dayOr: boolean, wall: number): number | null {
  let t = Math.floor(wall / 1000) * 1000 + 1000;
  const lastYear = new Date(t).getUTCFullYear() + SEARCH_YEARS;
  for (;;) {
    const date = new Date(t);
    const [y, m, d, h, mi, s] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
    if (y > lastYear) return null;
    if (!spec.months[m + 1]) {
      t = at(y, m + 1, 1);
      continue;
    }
    if (!dayMatches(spec, dayOr, y, m, d)) {
      t = at(y, m, d + 1);
      continue;
    }
    const hour = firstFrom(spec.hours, h);
    if (hour === undefined) {
      t = at(y, m, d + 1);
      continue;
    }
    if (hour > h) {
      t = at(y, m, d, hour);
      continue;
    }
    const minute = firstFrom(spec.minutes, mi);
    if (minute === undefined) {
      t = at(y, m, d, h + 1);
      continue;
    }
    if (minute > mi) {
      t = at(y, m, d, h, minute);
      continue;
    }
    const second = firstFrom(spec.seconds, s);
    if (second === undefined) {
      t = at(y, m, d, h, mi + 1);
      continue;
    }
    return at(y, m, d, h, mi, second);
  }
}
