import { hostname } from "node:os";
import { z } from "zod";
import { localDatabaseUrl } from "baton";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { explainListenError } from "./server.js";
import { printWorkerEvent } from "../worker/events.js";
import { runUntilSignals } from "../worker/foreground.js";

const DevOptions = z.object({
  port: z.coerce.number({ message: "must be a port number" }).int("must be a whole number").min(0, "must be 0-65535").max(65535, "must be 0-65535").optional(),
  pool: z.string().min(1).default("default"),
});

export async function devCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(DevOptions, raw);
  const { out } = ctx;
  const settings = ctx.settings();
  const { redactDatabaseUrl, startServer } = await import("@baton/server");
  const databaseUrl = localDatabaseUrl(settings);
  const port = options.port ?? settings.get("BATON_SERVER_PORT") ?? 4200;
  const server = await startServer({
    databaseUrl,
    host: "127.0.0.1",
    port,
    // One person's laptop, loopback only: the quick start should not begin with a key to copy.
    auth: { enabled: false },
    logLevel: settings.get("BATON_SERVER_LOG_LEVEL") ?? "warn",
    heartbeatTimeoutSeconds: settings.get("BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS") ?? 60,
    servicesLoopSeconds: settings.get("BATON_SERVER_SERVICES_LOOP_SECONDS") ?? 5,
    resultMaxBytes: settings.get("BATON_SERVER_RESULT_MAX_BYTES"),
  }).catch((error: unknown) => {
    throw explainListenError(error, "127.0.0.1", port);
  });
  const apiUrl = `${server.url.replace(/\/+$/, "")}/api`;
  try {
    // This process talks to the server it started over HTTP, like the runs the worker starts.
    const { createClientFromSettings } = await import("baton");
    const { loadSettings } = await import("baton/settings");
    const client = await createClientFromSettings(loadSettings({ ...ctx.io.env, BATON_API_URL: apiUrl }));
    out.line(`Baton server listening on ${out.colors.bold(server.url)} (database: ${redactDatabaseUrl(databaseUrl)})`);
    out.note("Authentication is off (baton dev, 127.0.0.1 only): for anything shared, run baton server start, which requires API keys");
    const { startWorker } = await import("@baton/worker/start");
    try {
      const worker = await startWorker({
        pool: options.pool,
        type: "process",
        client,
        apiUrl,
        name: `dev-${hostname()}-${process.pid}`,
        onEvent: (event) => printWorkerEvent(out, event),
      });
      out.note(`In another shell: export BATON_API_URL=${apiUrl}; then baton deploy and baton deployment run FLOW/DEPLOYMENT --watch`);
      out.note("Press Ctrl-C to stop the worker and the server.");
      await runUntilSignals(worker, out);
    } finally {
      await client.close();
    }
  } finally {
    await server.close();
  }
  out.note("Stopped.");
}
