import { z } from "zod";
import { WORK_POOL_TYPES } from "@baton/core/runtime";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { printWorkerEvent } from "../worker/events.js";
import { runUntilSignals } from "../worker/foreground.js";

const StartOptions = z.object({
  pool: z.string().min(1, "must name a work pool"),
  queue: z.array(z.string().min(1)).default([]),
  limit: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(10),
  spares: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(20, "must be at most 20").default(1),
  name: z.string().min(1).max(200).optional(),
  allowEnv: z.array(z.string().min(1)).optional(),
  type: z.enum(WORK_POOL_TYPES, { message: `must be one of ${WORK_POOL_TYPES.join(", ")}` }).default("process"),
  allowPrivileged: z.boolean().default(false),
  allowHostMounts: z.boolean().default(false),
  allowHostNamespaces: z.boolean().default(false),
  allowDockerSocket: z.boolean().default(false),
  metricsPort: z.coerce.number({ message: "must be a port number" }).int("must be a whole number").min(0, "must be 0-65535").max(65535, "must be 0-65535").optional(),
  metricsHost: z.string().min(1, "must not be empty").optional(),
});

export async function startCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(StartOptions, raw);
  const { out } = ctx;
  const client = await ctx.client();
  const { startWorker } = await import("@baton/worker/start");
  const settings = ctx.settings();
  const metricsPort = options.metricsPort ?? settings.get("BATON_WORKER_METRICS_PORT");
  const running = await startWorker({
    ...(metricsPort !== undefined ? { metrics: { port: metricsPort, host: options.metricsHost ?? settings.get("BATON_WORKER_METRICS_HOST") } } : {}),
    pool: options.pool,
    type: options.type,
    limit: options.limit,
    spares: options.spares,
    client,
    ...(options.queue.length ? { queues: options.queue } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.allowEnv ? { allowEnv: options.allowEnv } : {}),
    hostAccess: { privileged: options.allowPrivileged, hostMounts: options.allowHostMounts, hostNamespaces: options.allowHostNamespaces, dockerSocket: options.allowDockerSocket },
    onEvent: (event) => printWorkerEvent(out, event),
  });
  if (running.metricsUrl) out.line(`Health: ${running.metricsUrl}/healthz, metrics: ${running.metricsUrl}/metrics`);
  out.note("Press Ctrl-C to stop it.");
  await runUntilSignals(running, out);
}
