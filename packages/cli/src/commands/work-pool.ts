import type { Command } from "commander";
import { z } from "zod";
import { MAX_PAGE_SIZE, WORK_POOL_TYPES, defaultBaseJobTemplate } from "@baton/core";
import type { CommandContext } from "../context.js";
import { allPages } from "baton";
import { UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { printTemplateWarnings, printWorkPool, printWorkPools } from "../work-pool/print.js";
import { readWorkPool } from "../work-pool/read.js";
import { readTemplateFile } from "../work-pool/template-file.js";

const typeOption = z.enum(WORK_POOL_TYPES, { message: `must be one of ${WORK_POOL_TYPES.join(", ")}` });
const limitOption = z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1");
const CreateOptions = z.object({ type: typeOption, baseJobTemplate: z.string().optional(), concurrencyLimit: limitOption.optional(), description: z.string().optional() });
const UpdateOptions = z.object({ baseJobTemplate: z.string().optional(), concurrencyLimit: limitOption.optional(), description: z.string().optional() });
const JsonOption = z.object({ json: z.boolean().default(false) });
const TemplateOptions = z.object({ type: typeOption });

export function registerWorkPool(program: Command, ctx: CommandContext): void {
  const pool = program.command("work-pool").description("Work pools: where deployments' runs wait for a worker, with a base job template");
  const { out } = ctx;

  pool
    .command("create")
    .description("Create a work pool (with the type's default template unless one is given)")
    .argument("<name>", "the pool's name")
    .requiredOption("--type <type>", `the kind of worker: ${WORK_POOL_TYPES.join(", ")}`)
    .option("--base-job-template <file>", "a JSON file { job_configuration, variables } (start from baton work-pool default-template)")
    .option("--concurrency-limit <n>", "at most this many runs of the pool at once")
    .option("--description <text>", "what the pool is for")
    .action(async (name: string, raw: unknown) => {
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
      out.line(`Created work pool '${result.work_pool.name}' (${result.work_pool.type})`);
      out.note(`Start a worker for it with: baton worker start --pool ${result.work_pool.name}`);
    });

  pool
    .command("ls")
    .description("List work pools")
    .option("--json", "print the pools as a JSON array")
    .action(async (raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const pools = await allPages((cursor) => client.call("listWorkPools", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
      if (options.json) out.json(pools);
      else printWorkPools(out, pools);
    });

  pool
    .command("inspect")
    .description("Show a work pool: status, queues, workers, base job template")
    .argument("<name>", "the pool's name")
    .option("--json", "print { work_pool, queues, workers } as JSON")
    .action(async (name: string, raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const found = await readWorkPool(client, name);
      const [queues, workers] = await Promise.all([
        client.call("listWorkQueues", { params: { name } }),
        client.call("listWorkers", { params: { name } }),
      ]);
      if (options.json) out.json({ work_pool: found, queues: queues.items, workers: workers.items });
      else printWorkPool(out, found, queues.items, workers.items);
    });

  pool
    .command("update")
    .description("Change a work pool's template, concurrency limit or description")
    .argument("<name>", "the pool's name")
    .option("--base-job-template <file>", "a JSON file { job_configuration, variables }")
    .option("--concurrency-limit <n>", "at most this many runs of the pool at once")
    .option("--description <text>", "what the pool is for")
    .action(async (name: string, raw: unknown) => {
      const options = parseOptions(UpdateOptions, raw);
      if (options.baseJobTemplate === undefined && options.concurrencyLimit === undefined && options.description === undefined) {
        throw new UsageError("nothing to update; give --base-job-template FILE, --concurrency-limit N or --description TEXT");
      }
      const template = options.baseJobTemplate ? readTemplateFile(options.baseJobTemplate) : undefined;
      const client = await ctx.client();
      await readWorkPool(client, name);
      const result = await client.call("updateWorkPool", {
        params: { name },
        body: {
          ...(template ? { base_job_template: template } : {}),
          ...(options.concurrencyLimit !== undefined ? { concurrency_limit: options.concurrencyLimit } : {}),
          ...(options.description !== undefined ? { description: options.description } : {}),
        },
      });
      printTemplateWarnings(out, result.warnings);
      out.line(`Updated work pool '${name}'`);
    });

  for (const [verb, paused] of [["pause", true], ["resume", false]] as const) {
    pool
      .command(verb)
      .description(paused ? "Pause a work pool: its workers claim no new runs" : "Resume a paused work pool")
      .argument("<name>", "the pool's name")
      .action(async (name: string) => {
        const client = await ctx.client();
        await readWorkPool(client, name);
        await client.call("updateWorkPool", { params: { name }, body: { paused } });
        out.line(`Work pool '${name}' ${paused ? "paused" : "resumed"}`);
      });
  }

  pool
    .command("delete")
    .description("Delete a work pool and its queues")
    .argument("<name>", "the pool's name")
    .action(async (name: string) => {
      const client = await ctx.client();
      await readWorkPool(client, name);
      await client.call("deleteWorkPool", { params: { name } });
      out.line(`Deleted work pool '${name}'`);
    });

  pool
    .command("default-template")
    .description("Print a pool type's default base job template (JSON), to edit and pass to --base-job-template")
    .requiredOption("--type <type>", `the pool type: ${WORK_POOL_TYPES.join(", ")}`)
    .action((raw: unknown) => {
      const options = parseOptions(TemplateOptions, raw);
      const template = defaultBaseJobTemplate(options.type);
      if (!template) throw new UsageError(`Baton ships no default template for ${options.type} pools; write one { job_configuration, variables } and pass it with --base-job-template FILE (baton work-pool default-template --type process shows the shape)`);
      out.json(template);
    });
}
