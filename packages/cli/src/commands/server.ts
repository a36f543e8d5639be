import type { Command } from "commander";
import { z } from "zod";
import { localDatabaseUrl } from "baton";
import { BatonError, type ApiKeyCreated } from "@baton/core";
import { readProfiles, setProfileSettings, type Settings } from "baton/settings";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { untilSignal } from "../signals.js";

const ServerStartOptions = z.object({
  host: z.string().min(1, "must not be empty").optional(),
  port: z.coerce.number({ message: "must be a port number" }).int("must be a whole number").min(0, "must be 0-65535").max(65535, "must be 0-65535").optional(),
  databaseUrl: z.string().min(1, "must not be empty").optional(),
  tlsCert: z.string().min(1, "must name a PEM certificate file").optional(),
  tlsKey: z.string().min(1, "must name a PEM private key file").optional(),
  insecureNoAuth: z.boolean().default(false),
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
    .option("--insecure-no-auth", "accept every request without a credential, on any address (only on a private network you trust)")
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
      const authEnabled = !options.insecureNoAuth && settings.get("BATON_SERVER_AUTH_ENABLED") !== false;
      const running = await startServer({
        databaseUrl,
        host,
        port,
        auth: { enabled: authEnabled, apiAuthString: settings.get("BATON_SERVER_API_AUTH_STRING"), bootstrapApiKey: settings.get("BATON_SERVER_BOOTSTRAP_API_KEY"), runTokenTtlSeconds: settings.get("BATON_SERVER_RUN_TOKEN_TTL_SECONDS") },
        insecureNoAuth: options.insecureNoAuth,
        onBootstrapKey: (created) => reportBootstrapKey(ctx, created, `${tlsCertFile ? "https" : "http"}://${host}:${port}/api`),
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
      if (!running.authEnabled) {
        out.error(`Warning: authentication is OFF: anyone who can reach ${running.url} can read everything and run code on your workers`);
      }
      out.note(`Point the CLI and flows at it with: baton config set BATON_API_URL=${apiUrl}`);
      out.note("Press Ctrl-C to stop.");
      const signal = await untilSignal(["SIGINT", "SIGTERM"]);
      out.note(`Received ${signal}; stopping the server...`);
      await running.close();
      out.note("Server stopped.");
    });
  server
    .command("create-admin-key")
    .description("Recover from lost admin keys: open the server's database directly and make a new admin key (run it where the server runs)")
    .option("--name <name>", "the key's name (default: recovery-admin, numbered when taken)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .action(async (raw: unknown) => {
      const options = parseOptions(CreateAdminKeyOptions, raw);
      const { createAdminKeyOffline, redactDatabaseUrl } = await import("@baton/server");
      const databaseUrl = options.databaseUrl ?? localDatabaseUrl(ctx.settings());
      const created = await createAdminKeyOffline(databaseUrl, { name: options.name });
      ctx.out.line(`Created the admin API key "${created.name}" in ${redactDatabaseUrl(databaseUrl)} (shown once, keep it safe):`);
      ctx.out.line(`  ${created.key}`);
      ctx.out.note("Use it with: baton login --url http://HOST:PORT/api --key KEY (or BATON_API_KEY=KEY); revoke the lost keys with baton api-key revoke NAME");
    });
}

const CreateAdminKeyOptions = z.object({
  name: z.string().min(1, "must not be empty").optional(),
  databaseUrl: z.string().min(1, "must not be empty").optional(),
});

/**
 * The first start on a database makes an admin key: show it once, and keep it in the active
 * profile of this $BATON_HOME (the CLI's) so the person who started the server is not locked
 * out. A profile that points at another server keeps its own key.
 */
function reportBootstrapKey(ctx: CommandContext, created: ApiKeyCreated, apiUrl: string): void {
  const { out } = ctx;
  const settings = ctx.settings();
  const fromEnv = settings.get("BATON_SERVER_BOOTSTRAP_API_KEY") === created.key;
  if (fromEnv) out.line(`Created the admin API key "${created.name}" from BATON_SERVER_BOOTSTRAP_API_KEY`);
  else {
    out.line(`Created the admin API key "${created.name}" (shown once, keep it safe):`);
    out.line(`  ${created.key}`);
  }
  const profileUrl = readProfileValue(settings, "BATON_API_URL");
  if (profileUrl !== undefined && !pointsHere(profileUrl, apiUrl)) {
    out.note(`Profile '${settings.profileName}' points at ${profileUrl}, not this server: the key was not saved there; use baton login --url ${apiUrl} --key KEY`);
    return;
  }
  setProfileSettings(settings.home, settings.profileName, [`BATON_API_KEY=${created.key}`]);
  out.note(`Saved it as BATON_API_KEY in profile '${settings.profileName}' (${settings.home}); make more keys with baton api-key create`);
}

/** The profile's own value, even when the environment overrides it for this process. */
function readProfileValue(settings: Settings, name: "BATON_API_URL"): string | undefined {
  return readProfiles(settings.home).profiles[settings.profileName]?.[name];
}

/** The profile's URL is this server when it names a loopback host on the same port. */
function pointsHere(profileUrl: string, apiUrl: string): boolean {
  try {
    const a = new URL(profileUrl);
    const b = new URL(apiUrl);
    const local = (host: string) => ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", b.hostname].includes(host);
    return local(a.hostname) && (a.port || "80") === (b.port || "80");
  } catch {
    return false;
  }
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
