import type { Command } from "commander";
import { z } from "zod";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { printWorkQueues } from "../work-pool/print.js";
import { readWorkPool } from "../work-pool/read.js";

const whole = (min: number) => z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(min, `must be at least ${min}`);
const Pool = z.object({ pool: z.string().min(1, "must name a work pool") });
const WriteOptions = Pool.extend({ priority: whole(1).max(1000, "must be at most 1000").optional(), concurrencyLimit: whole(1).optional(), description: z.string().optional() });
const ListOptions = Pool.extend({ json: z.boolean().default(false) });

/** Queues live in a pool, as in the tool users come from: `baton work-queue VERB NAME --pool P`. */
export function registerWorkQueue(program: Command, ctx: CommandContext): void {
  const queue = program.command("work-queue").description("A work pool's queues: priorities (1 is served first) and concurrency limits");
  const { out } = ctx;
  const writeOptions = (command: Command) =>
    command
      .requiredOption("--pool <pool>", "the work pool the queue is in")
      .option("--priority <n>", "1 is served first")
      .option("--concurrency-limit <n>", "at most this many runs of the queue at once")
      .option("--description <text>", "what the queue is for");
  const body = (options: z.output<typeof WriteOptions>) => ({
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.concurrencyLimit !== undefined ? { concurrency_limit: options.concurrencyLimit } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  });

  writeOptions(queue.command("create").description("Create a queue in a work pool").argument("<name>", "the queue's name")).action(async (name: string, raw: unknown) => {
    const options = parseOptions(WriteOptions, raw);
    const client = await ctx.client();
    await readWorkPool(client, options.pool);
    const created = await client.call("createWorkQueue", { params: { name: options.pool }, body: { name, ...body(options) } });
    out.line(`Created work queue '${created.name}' in pool '${options.pool}' (priority ${created.priority})`);
  });

  queue
    .command("ls")
    .description("A pool's queues, by priority")
    .requiredOption("--pool <pool>", "the work pool")
    .option("--json", "print the queues as a JSON array")
    .action(async (raw: unknown) => {
      const options = parseOptions(ListOptions, raw);
      const client = await ctx.client();
      await readWorkPool(client, options.pool);
      const { items } = await client.call("listWorkQueues", { params: { name: options.pool } });
      if (options.json) out.json(items);
      else printWorkQueues(out, items);
    });

  writeOptions(queue.command("update").description("Change a queue's priority, concurrency limit or description").argument("<name>", "the queue's name")).action(async (name: string, raw: unknown) => {
    const options = parseOptions(WriteOptions, raw);
    const changes = body(options);
    if (Object.keys(changes).length === 0) throw new UsageError("nothing to update; give --priority N, --concurrency-limit N or --description TEXT");
    const client = await ctx.client();
    await readWorkPool(client, options.pool);
    await client.call("updateWorkQueue", { params: { name: options.pool, queue: name }, body: changes });
    out.line(`Updated work queue '${name}' in pool '${options.pool}'`);
  });

  for (const [verb, paused] of [["pause", true], ["resume", false]] as const) {
    queue
      .command(verb)
      .description(paused ? "Pause a queue: its runs wait" : "Resume a paused queue")
      .argument("<name>", "the queue's name")
      .requiredOption("--pool <pool>", "the work pool the queue is in")
      .action(async (name: string, raw: unknown) => {
        const options = parseOptions(Pool, raw);
        const client = await ctx.client();
        await readWorkPool(client, options.pool);
        await client.call("updateWorkQueue", { params: { name: options.pool, queue: name }, body: { paused } });
        out.line(`Work queue '${name}' in pool '${options.pool}' ${paused ? "paused" : "resumed"}`);
      });
  }

  queue
    .command("delete")
    .description("Delete a queue (not the pool's default one)")
    .argument("<name>", "the queue's name")
    .requiredOption("--pool <pool>", "the work pool the queue is in")
    .action(async (name: string, raw: unknown) => {
      const options = parseOptions(Pool, raw);
      const client = await ctx.client();
      await readWorkPool(client, options.pool);
      await client.call("deleteWorkQueue", { params: { name: options.pool, queue: name } });
      out.line(`Deleted work queue '${name}' from pool '${options.pool}'`);
    });
}
