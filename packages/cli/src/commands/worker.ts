import type { Command } from "commander";
import { z } from "zod";
import { WORK_POOL_TYPES } from "@baton/core";
import type { CommandContext } from "../context.js";
import { collect, parseOptions } from "../options.js";
import { printWorkerEvent } from "../worker/events.js";
import { runUntilSignals } from "../worker/foreground.js";

const StartOptions = z.object({
  pool: z.string().min(1, "must name a work pool"),
  queue: z.array(z.string().min(1)).default([]),
  limit: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(10),
  name: z.string().min(1).max(200).optional(),
  type: z.enum(WORK_POOL_TYPES, { message: `must be one of ${WORK_POOL_TYPES.join(", ")}` }).default("process"),
});

export function registerWorker(program: Command, ctx: CommandContext): void {
  const worker = program.command("worker").description("Workers: claim a pool's flow runs and start them");
  worker
    .command("start")
    .description("Start a worker in the foreground; creates the pool if missing. Ctrl-C stops claiming and waits for running runs; a second Ctrl-C ends them")
    .requiredOption("--pool <pool>", "the work pool to take runs from")
    .option("--queue <queue>", "only these queues of the pool (repeatable; default: all, by priority)", collect)
    .option("--limit <n>", "at most this many runs at once", "10")
    .option("--name <name>", "the worker's name (default: hostname-pid)")
    .option("--type <type>", `the pool type to create when the pool is missing: ${WORK_POOL_TYPES.join(", ")}`, "process")
    .action(async (raw: unknown) => {
      const options = parseOptions(StartOptions, raw);
      const { out } = ctx;
      const client = await ctx.client();
      const { startWorker } = await import("@baton/worker");
      const running = await startWorker({
        pool: options.pool,
        type: options.type,
        limit: options.limit,
        client,
        ...(options.queue.length ? { queues: options.queue } : {}),
        ...(options.name ? { name: options.name } : {}),
        onEvent: (event) => printWorkerEvent(out, event),
      });
      out.note("Press Ctrl-C to stop it.");
      await runUntilSignals(running, out);
    });
}
