import type { Command } from "commander";
import { z } from "zod";
import { localDatabaseUrl } from "baton";
import { BatonError } from "@baton/core";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { untilSignal } from "../signals.js";

const ServerStartOptions = z.object({
  host: z.string().min(1, "must not be empty").optional(),
  port: z.coerce.number({ message: "must be a port number" }).int("must be a whole number").min(0, "must be 0-65535").max(65535, "must be 0-65535").optional(),
  databaseUrl: z.string().min(1, "must not be empty").optional(),
  tlsCert: z.string().min(1, "must name a PEM certificate file").optional(),
  tlsKey: z.string().min(1, "must name a PEM private key file").optional(),
});

export function registerServer(program: Command, ctx: CommandContext): void {
  const server = program.command("server").description("Run the Baton API server");
  server
    .command("start")
    .description("Start the API server in the foreground (Ctrl-C stops it); migrations run at start")
    .option("--host <host>", "address to listen on (default: BATON_SERVER_HOST, 127.0.0.1)")
    .option("--port <port>", "port to listen on (default: BATON_SERVER_PORT, 4200)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .option("--tls-cert <file>", "serve HTTPS with this PEM certificate (chain) (default: BATON_SERVER_TLS_CERT_FILE)")
    .option("--tls-key <file>", "the PEM private key of --tls-cert (default: BATON_SERVER_TLS_KEY_FILE)")
    .action(async (raw: unknown) => {
      const options = parseOptions(ServerStartOptions, raw);
      // Loaded here, not at the top: every other command would pay for Fastify and the drivers.
      const { parseAllowedOrigins, redactDatabaseUrl, startServer } = await import("@baton/server");
      const settings = ctx.settings();
      const databaseUrl = options.databaseUrl ?? localDatabaseUrl(settings);
      const host = options.host ?? settings.get("BATON_SERVER_HOST") ?? "127.0.0.1";
      const port = options.port ?? settings.get("BATON_SERVER_PORT") ?? 4200;
      const tlsCertFile = options.tlsCert ?? settings.get("BATON_SERVER_TLS_CERT_FILE");
      const tlsKeyFile = options.tlsKey ?? settings.get("BATON_SERVER_TLS_KEY_FILE");
      const corsAllowedOrigins = parseAllowedOrigins(settings.get("BATON_SERVER_CORS_ALLOWED_ORIGINS"));
      const running = await startServer({
        databaseUrl,
        host,
        port,
        logLevel: settings.get("BATON_SERVER_LOG_LEVEL") ?? "info",
        heartbeatTimeoutSeconds: settings.get("BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS") ?? 60,
        servicesLoopSeconds: settings.get("BATON_SERVER_SERVICES_LOOP_SECONDS") ?? 5,
        ...(tlsCertFile ? { tlsCertFile } : {}),
        ...(tlsKeyFile ? { tlsKeyFile } : {}),
        corsAllowedOrigins,
      }).catch((error: unknown) => {
        throw explainListenError(error, host, port);
      });
      const { out } = ctx;
      const apiUrl = `${running.url.replace(/\/+$/, "")}/api`;
      out.line(`Baton server listening on ${out.colors.bold(running.url)}`);
      out.line(`Database: ${redactDatabaseUrl(databaseUrl)}`);
      out.line(`API: ${apiUrl} (docs at ${apiUrl}/docs)`);
      out.note(`Point the CLI and flows at it with: baton config set BATON_API_URL=${apiUrl}`);
      out.note("Press Ctrl-C to stop.");
      const signal = await untilSignal(["SIGINT", "SIGTERM"]);
      out.note(`Received ${signal}; stopping the server...`);
      await running.close();
      out.note("Server stopped.");
    });
}

export class ServerListenFailed extends BatonError {
  override readonly code = "ServerListenFailed";
}

/** The usual reasons a server cannot listen, as something to do rather than a stack. */
export function explainListenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === "EADDRINUSE") {
    return new ServerListenFailed(`ServerListenFailed: ${where} is already in use (another Baton server?); stop it, or choose another port with --port or baton config set BATON_SERVER_PORT=...`, { cause: error });
  }
  if (code === "EACCES") {
    return new ServerListenFailed(`ServerListenFailed: no permission to listen on ${where}; ports below 1024 need privileges, choose another with --port`, { cause: error });
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new ServerListenFailed(`ServerListenFailed: ${host} is not an address of this machine; use --host 127.0.0.1, or 0.0.0.0 to listen on all interfaces`, { cause: error });
  }
  return error;
}
