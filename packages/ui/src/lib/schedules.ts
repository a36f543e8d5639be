import type { DeploymentSchedule } from "../api/types";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const RRULE_DAYS: Record<string, string> = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };
const pad = (n: string | number) => String(n).padStart(2, "0");
const NUMBER = /^\d+$/;

/**
 * A schedule as people say it: "weekdays at 09:00 (Europe/Paris)", "every 1 h (UTC)", "weekly on
 * Mon, Wed, Fri at 06:30 (America/New_York)". A cron or RRULE too unusual to put in words is shown
 * as written.
 */
export function describeSchedule(s: DeploymentSchedule["schedule"]): string {
  const zone = s.timezone ? ` (${s.timezone})` : "";
  if (s.cron) return `${cronInWords(s.cron) ?? `cron ${s.cron}`}${s.day_or === false ? " (both day fields)" : ""}${zone}`;
  if (s.interval !== undefined) return `every ${describeSeconds(s.interval)}${zone}`;
  if (s.rrule) return `${rruleInWords(s.rrule) ?? `rrule ${s.rrule}`}${zone}`;
  return "unknown schedule";
}

function dayList(field: string): string | undefined {
  if (field === "1-5") return "weekdays";
  if (field === "0,6" || field === "6,0") return "weekends";
  const days = field.split(",");
  if (!days.every((d) => /^[0-7]$/.test(d))) return undefined;
  return `on ${days.map((d) => DAYS[Number(d) % 7]).join(", ")}`;
}

/** The common shapes of a 5-field cron in words; undefined for the rest. */
export function cronInWords(expr: string): string | undefined {
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) return undefined;
  const [min, hour, dom, month, dow] = f as [string, string, string, string, string];
  if (month !== "*") return undefined;
  const every = /^\*\/(\d+)$/;
  if (every.test(min) && hour === "*" && dom === "*" && dow === "*") return `every ${every.exec(min)![1]} minutes`;
  if (!NUMBER.test(min)) return undefined;
  if (hour === "*" && dom === "*" && dow === "*") return `every hour at :${pad(min)}`;
  if (every.test(hour) && dom === "*" && dow === "*") return `every ${every.exec(hour)![1]} hours at :${pad(min)}`;
  if (!NUMBER.test(hour)) return undefined;
  const at = `at ${pad(hour)}:${pad(min)}`;
  if (dom === "*" && dow === "*") return `every day ${at}`;
  if (dom === "*") {
    const days = dayList(dow);
    return days ? `${days} ${at}` : undefined;
  }
  if (NUMBER.test(dom) && dow === "*") return `on day ${dom} of each month ${at}`;
  return undefined;
}

/** FREQ=DAILY/WEEKLY/HOURLY rules with BYDAY, BYHOUR and BYMINUTE in words; undefined for the rest. */
export function rruleInWords(rule: string): string | undefined {
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, "")
      .split(";")
      .map((p) => p.split("=") as [string, string]),
  );
  const known = new Set(["FREQ", "BYDAY", "BYHOUR", "BYMINUTE", "INTERVAL"]);
  if ([...parts.keys()].some((k) => !known.has(k))) return undefined;
  const freq = parts.get("FREQ");
  const interval = Number(parts.get("INTERVAL") ?? 1);
  const hour = parts.get("BYHOUR");
  const minute = parts.get("BYMINUTE") ?? "0";
  const at = hour && NUMBER.test(hour) && NUMBER.test(minute) ? ` at ${pad(hour)}:${pad(minute)}` : hour ? undefined : "";
  if (at === undefined) return undefined;
  const days = parts.get("BYDAY");
  const dayNames = days?.split(",").map((d) => RRULE_DAYS[d]);
  if (dayNames?.some((d) => d === undefined)) return undefined;
  const on = dayNames ? ` on ${dayNames.join(", ")}` : "";
  if (freq === "DAILY") return `${interval > 1 ? `every ${interval} days` : "every day"}${on}${at}`;
  if (freq === "WEEKLY") return `${interval > 1 ? `every ${interval} weeks` : "weekly"}${on}${at}`;
  if (freq === "HOURLY" && !hour) return `${interval > 1 ? `every ${interval} hours` : "every hour"}${on}`;
  return undefined;
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
