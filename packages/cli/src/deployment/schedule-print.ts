import { nextRunTimes, type Deployment, type DeploymentSchedule } from "@baton/core";
import { formatTime } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderFields, renderTable } from "../output/table.js";
import { describeSchedule } from "./print.js";

/** How far ahead the next runs are looked for: a valid cron fires within it (core's schema checks 30 years). */
const HORIZON_MS = 31 * 365 * 86_400_000;

/** The next `count` times a schedule is due after `now`, as the scheduler computes them. */
export function nextTimes(s: DeploymentSchedule, count: number, now: Date = new Date()): string[] {
  const spec = { ...s.schedule, active: s.active, parameters: s.parameters };
  return nextRunTimes(spec, now, new Date(now.getTime() + HORIZON_MS), count).map((d) => d.toISOString());
}

/** `2026-12-08 08:00:00 UTC (09:00:00 Europe/Paris)`: the schedule's own wall time beside UTC. */
export function timeInZone(iso: string, zone: string): string {
  const utc = `${formatTime(iso)} UTC`;
  if (zone === "UTC") return utc;
  const wall = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(new Date(iso));
  return `${utc} (${wall} ${zone})`;
}

export function printSchedules(out: Output, deployment: Deployment): void {
  const name = `${deployment.flow_name}/${deployment.name}`;
  if (deployment.schedules.length === 0) {
    out.note(`Deployment '${name}' has no schedules; add one with baton deployment schedule create ${name} --cron "0 9 * * *"`);
    return;
  }
  const next = (s: DeploymentSchedule) => {
    if (!s.active) return "-";
    const [first] = nextTimes(s, 1);
    return first ? timeInZone(first, s.schedule.timezone) : "- (no more runs)";
  };
  out.line(
    renderTable(
      ["ID", "SCHEDULE", "ACTIVE", "NEXT RUN", "PARAMETERS"],
      deployment.schedules.map((s) => [s.id, describeSchedule(s.schedule), s.active ? "yes" : out.colors.yellow("paused"), next(s), Object.keys(s.parameters).length ? JSON.stringify(s.parameters) : "-"]),
    ),
  );
  if (deployment.paused) out.note(`Deployment '${name}' is paused: none of its schedules makes runs until baton deployment resume ${name}`);
}

export function printSchedule(out: Output, s: DeploymentSchedule, upcoming: string[]): void {
  const fields: Array<[string, string]> = [
    ["ID", s.id],
    ["Schedule", describeSchedule(s.schedule)],
    ["Active", s.active ? "yes" : out.colors.yellow("paused")],
    ...(s.schedule.anchor_date ? [["Anchor", s.schedule.anchor_date] as [string, string]] : []),
    ...(Object.keys(s.parameters).length ? [["Parameters", JSON.stringify(s.parameters)] as [string, string]] : []),
  ];
  // The later times line up under the first, after the widest label and its ": ".
  const under = " ".repeat(Math.max(...[...fields, ["Next runs"]].map(([label]) => label!.length)) + 2);
  const next = !s.active ? "- (paused)" : upcoming.length === 0 ? "- (it fires no more)" : upcoming.map((t) => timeInZone(t, s.schedule.timezone)).join(`\n${under}`);
  out.line(renderFields([...fields, ["Next runs", next]]));
}
