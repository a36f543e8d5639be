import type { WorkPool, WorkQueue, Worker } from "@baton/core";
import { formatTime } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderFields, renderTable } from "../output/table.js";

function status(out: Output, pool: WorkPool): string {
  if (pool.status === "READY") return out.colors.green("ready");
  if (pool.status === "PAUSED") return out.colors.yellow("paused");
  return out.colors.yellow("not ready (no worker online)");
}

export function printWorkPools(out: Output, pools: WorkPool[]): void {
  if (pools.length === 0) {
    out.note("No work pools; create one with baton work-pool create NAME --type process (or baton worker start --pool NAME)");
    return;
  }
  out.line(renderTable(["NAME", "TYPE", "STATUS", "CONCURRENCY", "ID"], pools.map((p) => [p.name, p.type, status(out, p), p.concurrency_limit === null ? "-" : String(p.concurrency_limit), p.id])));
}

export function printWorkQueues(out: Output, queues: WorkQueue[]): void {
  out.line(
    renderTable(
      ["NAME", "PRIORITY", "CONCURRENCY", "STATUS"],
      queues.map((q) => [q.name, String(q.priority), q.concurrency_limit === null ? "-" : String(q.concurrency_limit), q.paused ? out.colors.yellow("paused") : "active"]),
    ),
  );
}

export function printWorkPool(out: Output, pool: WorkPool, queues: WorkQueue[], workers: Worker[]): void {
  out.line(out.colors.bold(`Work pool ${pool.name}`));
  const fields: Array<[string, string]> = [
    ["ID", pool.id],
    ["Type", pool.type],
    ["Status", status(out, pool)],
    ["Concurrency limit", pool.concurrency_limit === null ? "-" : String(pool.concurrency_limit)],
    ["Default queue", pool.default_queue_name],
    ["Created", formatTime(pool.created)],
  ];
  if (pool.description) fields.splice(2, 0, ["Description", pool.description]);
  out.line(renderFields(fields));
  out.line();
  out.line(out.colors.bold(`Queues (${queues.length})`));
  printWorkQueues(out, queues);
  out.line();
  out.line(out.colors.bold(`Workers (${workers.length})`));
  if (workers.length > 0) {
    out.line(renderTable(["NAME", "STATUS", "LAST HEARTBEAT"], workers.map((w) => [w.name, w.status === "ONLINE" ? out.colors.green("online") : out.colors.dim("offline"), formatTime(w.last_heartbeat_time)])));
  }
  out.line();
  out.line(out.colors.bold("Base job template"));
  out.line(JSON.stringify(pool.base_job_template, null, 2));
}

/** What the server found in a template that would silently do nothing. */
export function printTemplateWarnings(out: Output, warnings: Array<{ path: string; message: string }>): void {
  for (const w of warnings) out.error(out.errColors.yellow(`Warning: ${w.path}: ${w.message}`));
}
