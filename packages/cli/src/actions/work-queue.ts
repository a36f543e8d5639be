import { z } from "zod";
import { MAX_PAGE_SIZE, NotFoundError, type FlowRun, type WorkQueue } from "@baton/core";
import { allPages, type BatonClient } from "baton";
import type { CommandContext } from "../context.js";
import { formatTime } from "../output/format.js";
import { renderFields, renderTable } from "../output/table.js";
import { UsageError } from "../errors.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstOf } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { printWorkQueues } from "../work-pool/print.js";
import { readWorkPool } from "../work-pool/read.js";

const whole = (min: number) => z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(min, `must be at least ${min}`);
const Pool = z.object({ pool: z.string().min(1, "must name a work pool") });
const WriteOptions = Pool.extend({ priority: whole(1).max(1000, "must be at most 1000").optional(), concurrencyLimit: whole(0).optional(), description: z.string().optional() });
const InspectOptions = Pool.extend({ json: z.boolean().default(false) });
const ListOptions = InspectOptions.extend({ limit: listLimitOption() });
const PreviewOptions = ListOptions.extend({ hours: z.coerce.number({ message: "must be a number of hours" }).positive("must be more than 0").max(24 * 365, "must be at most 8760 (a year)") });

const body = (options: z.output<typeof WriteOptions>) => ({
  ...(options.priority !== undefined ? { priority: options.priority } : {}),
  ...(options.concurrencyLimit !== undefined ? { concurrency_limit: options.concurrencyLimit } : {}),
  ...(options.description !== undefined ? { description: options.description } : {}),
});

export async function createCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(WriteOptions, raw);
  const client = await ctx.client();
  options.pool = (await readWorkPool(client, options.pool)).name;
  const created = await client.call("createWorkQueue", { params: { name: options.pool }, body: { name, ...body(options) } });
  out.result(created, () => out.line(`Created work queue '${created.name}' in pool '${options.pool}' (priority ${created.priority})`));
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  options.pool = (await readWorkPool(client, options.pool)).name;
  const { items } = await client.call("listWorkQueues", { params: { name: options.pool } });
  const shown = firstOf(out, options.limit, items);
  if (options.json) out.json(shown);
  else printWorkQueues(out, shown);
}

export async function updateCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(WriteOptions, raw);
  const changes = body(options);
  if (Object.keys(changes).length === 0) throw new UsageError("nothing to update; give --priority N, --concurrency-limit N or --description TEXT");
  const client = await ctx.client();
  options.pool = (await readWorkPool(client, options.pool)).name;
  const updated = await client.call("updateWorkQueue", { params: { name: options.pool, queue: name }, body: changes });
  out.result(updated, () => out.line(`Updated work queue '${name}' in pool '${options.pool}'`));
}

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(Pool, raw);
  const client = await ctx.client();
  const found = await readWorkQueue(client, options.pool, name);
  await confirmRemoval(`Delete work queue '${name}' of pool '${found.work_pool_name}'?`, raw);
  await client.call("deleteWorkQueue", { params: { name: found.work_pool_name, queue: name } });
  out.result(found, () => out.line(`Deleted work queue '${name}' from pool '${found.work_pool_name}'`));
}

export const pauseCommand = (ctx: CommandContext, name: string, raw: unknown) => setPaused(ctx, name, raw, true);
export const resumeCommand = (ctx: CommandContext, name: string, raw: unknown) => setPaused(ctx, name, raw, false);

async function setPaused(ctx: CommandContext, name: string, raw: unknown, paused: boolean) {
  const options = parseOptions(Pool, raw);
  const client = await ctx.client();
  options.pool = (await readWorkPool(client, options.pool)).name;
  const updated = await client.call("updateWorkQueue", { params: { name: options.pool, queue: name }, body: { paused } });
  ctx.out.result(updated, () => ctx.out.line(`Work queue '${name}' in pool '${options.pool}' ${paused ? "paused" : "resumed"}`));
}

export async function inspectCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(InspectOptions, raw);
  const client = await ctx.client();
  const found = await readWorkQueue(client, options.pool, name);
  if (options.json) return ctx.out.json(found);
  ctx.out.line(
    renderFields([
      ["Name", found.name],
      ["Pool", found.work_pool_name],
      ["ID", found.id],
      ["Priority", String(found.priority)],
      ["Concurrency limit", found.concurrency_limit === null ? "none" : String(found.concurrency_limit)],
      ["Paused", found.paused ? "yes" : "no"],
      ["Description", found.description ?? "-"],
    ]),
  );
}

export async function previewCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(PreviewOptions, raw);
  const client = await ctx.client();
  await readWorkQueue(client, options.pool, name);
  const until = new Date(Date.now() + options.hours * 3_600_000).toISOString();
  const runs = await allPages((cursor) =>
    client.call("listFlowRuns", { query: { work_pool_name: options.pool, state: ["SCHEDULED"], expected_start_before: until, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
  );
  const due = runs.filter((run) => run.work_queue_name === name).sort((a, b) => startOf(a).localeCompare(startOf(b)));
  const shown = firstOf(ctx.out, options.limit, due);
  if (options.json) return ctx.out.json(shown);
  if (due.length === 0) return ctx.out.line(`No run of queue '${name}' in pool '${options.pool}' is scheduled in the next ${options.hours} hour(s)`);
  ctx.out.line(renderTable(["SCHEDULED FOR", "FLOW RUN", "ID"], shown.map((run) => [formatTime(startOf(run)), run.name, run.id])));
}

export async function clearConcurrencyLimitCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(Pool, raw);
  const client = await ctx.client();
  const found = await readWorkQueue(client, options.pool, name);
  const updated = await client.call("updateWorkQueue", { params: { name: found.work_pool_name, queue: name }, body: { concurrency_limit: null } });
  ctx.out.result(updated, () => ctx.out.line(`Work queue '${name}' in pool '${found.work_pool_name}' has no concurrency limit now`));
}

const startOf = (run: FlowRun) => run.expected_start_time ?? run.created;

/** The pool's queues hold it; an unknown name lists the ones there are. */
async function readWorkQueue(client: BatonClient, pool: string, name: string): Promise<WorkQueue> {
  pool = (await readWorkPool(client, pool)).name;
  const { items } = await client.call("listWorkQueues", { params: { name: pool } });
  const found = items.find((q) => q.name === name);
  if (!found) throw new WorkQueueNotFound(`WorkQueueNotFound: no queue named "${name}" in work pool "${pool}"; its queues: ${items.map((q) => q.name).join(", ")} (create one with baton work-queue create ${name} --pool ${pool})`);
  return found;
}

export class WorkQueueNotFound extends NotFoundError {
  override readonly code = "WorkQueueNotFound";
}
