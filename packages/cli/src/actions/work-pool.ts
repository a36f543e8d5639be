import { z } from "zod";
import { MAX_PAGE_SIZE, WORK_POOL_TYPES, defaultBaseJobTemplate } from "@baton/core";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { noteUiLink } from "../output/ui-link.js";
import { printTemplateWarnings, printWorkPool, printWorkPools } from "../work-pool/print.js";
import { readWorkPool } from "../work-pool/read.js";
import { readTemplateFile } from "../work-pool/template-file.js";

const typeOption = z.enum(WORK_POOL_TYPES, { message: `must be one of ${WORK_POOL_TYPES.join(", ")}` });
const limitOption = z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be 0 (no run starts) or more; remove a limit with baton work-pool clear-concurrency-limit NAME");
const CreateOptions = z.object({ type: typeOption, baseJobTemplate: z.string().optional(), concurrencyLimit: limitOption.optional(), description: z.string().optional() });
const UpdateOptions = z.object({ baseJobTemplate: z.string().optional(), concurrencyLimit: limitOption.optional(), description: z.string().optional() });
const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ limit: listLimitOption() });
const TemplateOptions = z.object({ type: typeOption });

export async function createCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(CreateOptions, raw);
  const template = options.baseJobTemplate ? readTemplateFile(options.baseJobTemplate) : undefined;
  const client = await ctx.client();
  const result = await client.call("createWorkPool", {
    body: {
      name,
      type: options.type,
      ...(template ? { base_job_template: template } : {}),
      ...(options.concurrencyLimit !== undefined ? { concurrency_limit: options.concurrencyLimit } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
    },
  });
  printTemplateWarnings(out, result.warnings);
  out.result(result.work_pool, () => out.line(`Created work pool '${result.work_pool.name}' (${result.work_pool.type})`));
  out.note(`Start a worker for it with: baton worker start --pool ${result.work_pool.name}`);
  noteUiLink(ctx, { workPool: result.work_pool.name });
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const pools = await firstItems(out, options.limit, (cursor) => client.call("listWorkPools", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (options.json) out.json(pools);
  else printWorkPools(out, pools);
}

export async function inspectCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(JsonOption, raw);
  const client = await ctx.client();
  const found = await readWorkPool(client, name);
  const [queues, workers] = await Promise.all([
    client.call("listWorkQueues", { params: { name: found.name } }),
    client.call("listWorkers", { params: { name: found.name } }),
  ]);
  if (options.json) out.json({ work_pool: found, queues: queues.items, workers: workers.items });
  else printWorkPool(out, found, queues.items, workers.items);
  noteUiLink(ctx, { workPool: found.name });
}

export async function updateCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(UpdateOptions, raw);
  if (options.baseJobTemplate === undefined && options.concurrencyLimit === undefined && options.description === undefined) {
    throw new UsageError("nothing to update; give --base-job-template FILE, --concurrency-limit N or --description TEXT");
  }
  const template = options.baseJobTemplate ? readTemplateFile(options.baseJobTemplate) : undefined;
  const client = await ctx.client();
  name = (await readWorkPool(client, name)).name;
  const result = await client.call("updateWorkPool", {
    params: { name },
    body: {
      ...(template ? { base_job_template: template } : {}),
      ...(options.concurrencyLimit !== undefined ? { concurrency_limit: options.concurrencyLimit } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
    },
  });
  printTemplateWarnings(out, result.warnings);
  out.result(result.work_pool, () => out.line(`Updated work pool '${name}'`));
}

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const client = await ctx.client();
  const found = await readWorkPool(client, name);
  await confirmRemoval(`Delete work pool '${found.name}' and its queues?`, raw);
  await client.call("deleteWorkPool", { params: { name: found.name } });
  out.result(found, () => out.line(`Deleted work pool '${found.name}'`));
}

export async function defaultTemplateCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(TemplateOptions, raw);
  const template = defaultBaseJobTemplate(options.type);
  if (!template) throw new UsageError(`Baton ships no default template for ${options.type} pools; write one { job_configuration, variables } and pass it with --base-job-template FILE (baton work-pool default-template --type process shows the shape)`);
  out.json(template);
}

export const pauseCommand = (ctx: CommandContext, name: string) => setPaused(ctx, name, true);
export const resumeCommand = (ctx: CommandContext, name: string) => setPaused(ctx, name, false);

async function setPaused(ctx: CommandContext, name: string, paused: boolean) {
  const client = await ctx.client();
  name = (await readWorkPool(client, name)).name;
  const result = await client.call("updateWorkPool", { params: { name }, body: { paused } });
  ctx.out.result(result.work_pool, () => ctx.out.line(`Work pool '${name}' ${paused ? "paused" : "resumed"}`));
}

export async function clearConcurrencyLimitCommand(ctx: CommandContext, name: string) {
  const client = await ctx.client();
  name = (await readWorkPool(client, name)).name;
  const result = await client.call("updateWorkPool", { params: { name }, body: { concurrency_limit: null } });
  ctx.out.result(result.work_pool, () => ctx.out.line(`Work pool '${name}' has no concurrency limit now`));
}
