/**
 * Cron expressions, read the way Vixie cron and Prefect (croniter) read them, with the
 * Quartz extensions that have one meaning: five fields (minute hour day-of-month month
 * day-of-week), or six with seconds first; names (JAN, MON); `L`, `L-3`, `15W`, `LW` in
 * day-of-month; `5L` / `FRI#L` (last Friday) and `MON#2` (second Monday) in day-of-week.
 * Anything else is refused with a message that names the field, never guessed at.
 */

export class CronSyntaxError extends Error {
  override name = "CronSyntaxError";
}

export interface DayOfMonth {
  days: boolean[];
  /** `L` is 0, `L-3` is 3: days before the month's last. */
  fromLast: number[];
  /** `15W`: the weekday nearest the 15th, within the month. */
  nearestWeekday: number[];
  /** `LW`: the month's last weekday. */
  lastWeekday: boolean;
}

export interface DayOfWeek {
  /** 0 is Sunday. */
  days: boolean[];
  /** `MON#2`: [1, 2]. */
  nth: [number, number][];
  /** `5L` / `FRI#L`: the last Friday of the month. */
  last: number[];
}

export interface CronSpec {
  seconds: number[];
  minutes: number[];
  hours: number[];
  months: boolean[];
  dom: DayOfMonth;
  dow: DayOfWeek;
  /** A day field written `*` or `?` does not restrict; with both restricted, day_or decides. */
  domStar: boolean;
  dowStar: boolean;
}

const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldShape {
  label: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}
const SECOND: FieldShape = { label: "second", min: 0, max: 59 };
const MINUTE: FieldShape = { label: "minute", min: 0, max: 59 };
const HOUR: FieldShape = { label: "hour", min: 0, max: 23 };
const DOM: FieldShape = { label: "day of month", min: 1, max: 31 };
const MONTH: FieldShape = { label: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 };
// 7 is Sunday too, as in Vixie cron.
const DOW: FieldShape = { label: "day of week", min: 0, max: 7, names: DAYS, namesFrom: 0 };

function value(text: string, shape: FieldShape): number {
  const upper = text.toUpperCase();
  const named = shape.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + shape.namesFrom!;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${shape.label} "${text}" is not a number${shape.names ? ` or a name such as ${shape.names[1]}` : ""}`);
  const n = Number(text);
  if (n < shape.min || n > shape.max) throw new CronSyntaxError(`${shape.label} ${n} is out of range ${shape.min}-${shape.max}`);
  return n;
}

/** The values of one plain field: lists of `*`, `a`, `a-b`, each with an optional `/step`. */
function plainField(text: string, shape: FieldShape): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") throw new CronSyntaxError(`${shape.label} "${text}" has an empty list item`);
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined) throw new CronSyntaxError(`${shape.label} "${item}" has two steps`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronSyntaxError(`${shape.label} step "${stepText}" must be a whole number from 1`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === "*" || range === "?") {
      from = shape.min;
      to = shape === DOW ? 6 : shape.max;
    } else if (range!.includes("-")) {
      const [a, b, more] = range!.split("-");
      if (more !== undefined || !a || !b) throw new CronSyntaxError(`${shape.label} range "${range}" must be written low-high`);
      from = value(a, shape);
      to = value(b, shape);
      // SAT-SUN: Sunday as the end of a range is day 7.
      if (shape === DOW && to === 0 && from > 0) to = 7;
      if (to < from) throw new CronSyntaxError(`${shape.label} range "${range}" runs backwards; write it as two ranges joined by a comma`);
    } else {
      from = value(range!, shape);
      // `5/15` in Vixie and croniter: from 5 to the end, every 15.
      to = stepText === undefined ? from : shape === DOW ? 6 : shape.max;
    }
    for (let v = from; v <= to; v += step) out.add(shape === DOW ? v % 7 : v);
  }
  return out;
}

const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
const flags = (set: Set<number>, size: number) => Array.from({ length: size }, (_, i) => set.has(i));

function dayOfMonth(text: string): DayOfMonth {
  const plain: string[] = [];
  const dom: DayOfMonth = { days: [], fromLast: [], nearestWeekday: [], lastWeekday: false };
  for (const item of text.split(",")) {
    const upper = item.toUpperCase();
    let m: RegExpExecArray | null;
    if (upper === "L") dom.fromLast.push(0);
    else if ((m = /^L-(\d+)$/.exec(upper))) {
      const n = Number(m[1]);
      if (n > 30) throw new CronSyntaxError(`day of month "${item}": L-n takes n from 0 to 30`);
      dom.fromLast.push(n);
    } else if (upper === "LW" || upper === "WL") dom.lastWeekday = true;
    else if ((m = /^(\d+)W$/.exec(upper))) dom.nearestWeekday.push(value(m[1]!, DOM));
    else if (/[LW#]/.test(upper)) throw new CronSyntaxError(`day of month "${item}" is not understood; Baton reads L (last day), L-3 (three days before it), 15W (weekday nearest the 15th) and LW (last weekday)`);
    else plain.push(item);
  }
  dom.days = flags(plain.length ? plainField(plain.join(","), DOM) : new Set(), 32);
  return dom;
}

function dayOfWeek(text: string): DayOfWeek {
  const plain: string[] = [];
  const dow: DayOfWeek = { days: [], nth: [], last: [] };
  for (const item of text.split(",")) {
    const upper = item.toUpperCase();
    let m: RegExpExecArray | null;
    if ((m = /^([A-Z]{3}|\d)(?:L|#L)$/.exec(upper))) dow.last.push(value(m[1]!, DOW) % 7);
    else if ((m = /^([A-Z]{3}|\d)#(\d)$/.exec(upper))) {
      const n = Number(m[2]);
      if (n < 1 || n > 5) throw new CronSyntaxError(`day of week "${item}": the week of the month after # is 1 to 5, or L for the last`);
      dow.nth.push([value(m[1]!, DOW) % 7, n]);
    } else if (upper === "L") throw new CronSyntaxError(`day of week "L" alone is ambiguous (Saturday in Quartz, unsupported elsewhere); write SAT, or 5L for the last Friday of the month`);
    else if (/[LW#]/.test(upper) && !DAYS.some((d) => upper.includes(d))) throw new CronSyntaxError(`day of week "${item}" is not understood; Baton reads 5L or FRI#L (last Friday) and MON#2 (second Monday)`);
    else plain.push(item);
  }
  dow.days = flags(plain.length ? plainField(plain.join(","), DOW) : new Set(), 7);
  return dow;
}

/** Read a cron expression; throws CronSyntaxError naming the field at fault. */
export function parseCron(expression: string): CronSpec {
  const trimmed = expression.trim();
  const text = trimmed.startsWith("@") ? NICKNAMES[trimmed.toLowerCase()] : trimmed;
  if (text === undefined) throw new CronSyntaxError(`"${trimmed}" is not a known nickname; use one of ${Object.keys(NICKNAMES).join(", ")}`);
  const fields = text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new CronSyntaxError(`a cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has ${fields.length}${fields.length === 7 ? " (a year field is not supported)" : ""}`);
  }
  if (fields.some((f) => /^[HR]$|H\(|^R\(/i.test(f) || /^H(\/|$)/i.test(f))) throw new CronSyntaxError("random and hashed fields (H, R) are not supported; write the values out");
  const [second, minute, hour, dom, month, dow] = fields.length === 6 ? fields : ["0", ...fields];
  for (const [f, shape] of [[second, SECOND], [minute, MINUTE], [hour, HOUR], [month, MONTH]] as const) {
    if (f === "?") throw new CronSyntaxError(`${shape.label} "?" is only for day of month or day of week`);
  }
  return {
    seconds: sorted(plainField(second!, SECOND)),
    minutes: sorted(plainField(minute!, MINUTE)),
    hours: sorted(plainField(hour!, HOUR)),
    months: flags(plainField(month!, MONTH), 13),
    dom: dayOfMonth(dom!),
    dow: dayOfWeek(dow!),
    domStar: dom === "*" || dom === "?",
    dowStar: dow === "*" || dow === "?",
  };
}
