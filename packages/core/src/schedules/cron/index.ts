import { wallTimesToInstants } from "../zone.js";
import { nextCronWall } from "./next.js";
import { parseCron } from "./parse.js";

export { CronSyntaxError, parseCron } from "./parse.js";
export { nextCronWall } from "./next.js";

/**
 * Times a cron expression fires in a time zone, strictly after `after`, by Prefect's
 * daylight-saving policy: a repeated wall time fires once, at its first occurrence; a wall
 * time a change skips fires moved forward by the gap. `dayOr` (default true): with both
 * day-of-month and day-of-week restricted, a day matching either fires (false: both).
 */
export function cronTimes(expression: string, timeZone: string, dayOr: boolean, after: Date, until: Date, limit: number): Date[] {
  const spec = parseCron(expression);
  return wallTimesToInstants((wall) => nextCronWall(spec, dayOr, wall), timeZone, after, until, limit);
}
