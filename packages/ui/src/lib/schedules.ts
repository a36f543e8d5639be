import type { DeploymentSchedule } from "../api/types";

/** `cron 0 * * * * (UTC)`, `every 1 h 00 m`, `rrule FREQ=DAILY`: a schedule in one line. */
export function describeSchedule(s: DeploymentSchedule["schedule"]): string {
  const zone = s.timezone ? ` (${s.timezone})` : "";
  if (s.cron) return `cron ${s.cron}${zone}`;
  if (s.interval !== undefined) return `every ${describeSeconds(s.interval)}${zone}`;
  if (s.rrule) return `rrule ${s.rrule}${zone}`;
  return "unknown schedule";
}

function describeSeconds(total: number): string {
  const parts: string[] = [];
  let rest = total;
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest} s`);
  return parts.join(" ");
}
