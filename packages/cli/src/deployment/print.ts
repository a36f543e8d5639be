import type { Deployment, DeploymentSchedule } from "@baton/core";
import { formatTime } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderFields, renderTable } from "../output/table.js";

export function describeSchedule(s: DeploymentSchedule["schedule"]): string {
  const what = s.cron !== undefined ? `cron "${s.cron}"${s.day_or === false ? " day_or=false" : ""}` : s.rrule !== undefined ? `rrule "${s.rrule}"` : `every ${s.interval}s`;
  return `${what} (${s.timezone})`;
}

export function printDeployments(out: Output, deployments: Deployment[]): void {
  if (deployments.length === 0) {
    out.note("No deployments; write a baton.yaml (baton init) and run baton deploy");
    return;
  }
  out.line(
    renderTable(
      ["NAME", "POOL", "SCHEDULES", "STATUS", "UPDATED", "ID"],
      deployments.map((d) => [
        `${d.flow_name}/${d.name}`,
        d.work_pool_name ?? "-",
        d.schedules.length === 0 ? "-" : d.schedules.map((s) => describeSchedule(s.schedule)).join("; "),
        d.paused ? out.colors.yellow("paused") : "active",
        formatTime(d.updated),
        d.id,
      ]),
    ),
  );
}

export function printDeployment(out: Output, d: Deployment): void {
  const { colors } = out;
  out.line(colors.bold(`Deployment ${d.flow_name}/${d.name}`));
  const fields: Array<[string, string]> = [
    ["ID", d.id],
    ["Entrypoint", d.entrypoint],
    ["Status", d.paused ? colors.yellow("paused") : "active"],
    ["Work pool", d.work_pool_name ? `${d.work_pool_name}${d.work_queue_name ? ` (queue ${d.work_queue_name})` : ""}` : "- (no worker will pick its runs up)"],
    ["Parameters", JSON.stringify(d.parameters)],
    ["Job variables", JSON.stringify(d.job_variables)],
    ["Concurrency limit", d.concurrency_limit === null ? "-" : String(d.concurrency_limit)],
    ["Created", formatTime(d.created)],
    ["Updated", formatTime(d.updated)],
  ];
  if (d.description) fields.splice(2, 0, ["Description", d.description]);
  if (d.version) fields.push(["Version", d.version]);
  if (d.tags.length) fields.push(["Tags", d.tags.join(", ")]);
  if (d.source) fields.push(["Source", [d.source.repository, d.source.branch && `branch ${d.source.branch}`, d.source.commit && `commit ${d.source.commit.slice(0, 12)}`].filter(Boolean).join(", ")]);
  out.line(renderFields(fields));
  out.line();
  out.line(colors.bold(`Schedules (${d.schedules.length})`));
  if (d.schedules.length > 0) {
    out.line(
      renderTable(
        ["SCHEDULE", "ACTIVE", "PARAMETERS"],
        d.schedules.map((s) => [describeSchedule(s.schedule), s.active ? "yes" : "no", Object.keys(s.parameters).length ? JSON.stringify(s.parameters) : "-"]),
      ),
    );
  }
  out.line();
  out.line(colors.bold("Pull steps"));
  if (d.pull_steps.length === 0) out.line("(none: the code is where the run starts)");
  for (const [i, step] of d.pull_steps.entries()) out.line(`${i + 1}. ${JSON.stringify(step)}`);
}
