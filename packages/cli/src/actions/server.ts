import { z } from "zod";
import { localDatabaseUrl } from "baton";
import { BatonError, type ApiKeyCreated } from "@baton/core";
import { readProfiles, setProfileSettings, type Settings } from "baton/settings";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
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

/** The separate metrics port, when BATON_SERVER_METRICS_PORT asks for one (see docs/metrics.md). */
function metricsOption(settings: Settings): { metrics?: { port: number; host?: string | undefined; token?: string | undefined } } {
  const port = settings.get("BATON_SERVER_METRICS_PORT");
  if (port === undefined) return {};
  return { metrics: { port, host: settings.get("BATON_SERVER_METRICS_HOST"), token: settings.get("BATON_SERVER_METRICS_TOKEN") } };
}

/** `30d`, `12h`, `2w` as days; what --older-than takes. */
const Age = z
  .string()
  .regex(/^\d+(\.\d+)?[hdw]$/, "must be a number and a unit: h (hours), d (days) or w (weeks), e.g. 30d")
  .transform((v) => Number(v.slice(0, -1)) * { h: 1 / 24, d: 1, w: 7 }[v.slice(-1) as "h" | "d" | "w"])
  .refine((days) => days > 0, "must be more than 0");

const PruneOptions = z.object({
  olderThan: Age,
  yes: z.boolean().default(false),
  databaseUrl: z.string().min(1, "must not be empty").optional(),
  json: z.boolean().default(false),
});

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

export async function startCommand(ctx: CommandContext, raw: unknown) {
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
    ...metricsOption(settings),
    retentionDays: settings.get("BATON_SERVER_RETENTION_DAYS"),
    resultMaxBytes: settings.get("BATON_SERVER_RESULT_MAX_BYTES"),
    notifications: { uiUrl: settings.get("BATON_UI_URL"), retryBaseSeconds: settings.get("BATON_SERVER_NOTIFICATION_RETRY_SECONDS"), maxAttempts: settings.get("BATON_SERVER_NOTIFICATION_MAX_ATTEMPTS") },
  }).catch((error: unknown) => {
    throw explainListenError(error, host, port);
  });
  const { out } = ctx;
  const apiUrl = `${running.url.replace(/\/+$/, "")}/api`;
  out.line(`Baton server listening on ${out.colors.bold(running.url)}`);
  out.line(`Database: ${redactDatabaseUrl(databaseUrl)}`);
  out.line(`API: ${apiUrl} (docs at ${apiUrl}/docs)`);
  if (running.metricsUrl) out.line(`Metrics: ${running.metricsUrl}/metrics`);
  const retentionDays = settings.get("BATON_SERVER_RETENTION_DAYS");
  if (retentionDays !== undefined) out.line(`Retention: finished runs older than ${retentionDays} day(s) are deleted in the background`);
  if (!running.authEnabled) {
    out.error(`Warning: authentication is OFF: anyone who can reach ${running.url} can read everything and run code on your workers`);
  }
  out.note(`Point the CLI and flows at it with: baton config set BATON_API_URL=${apiUrl}`);
  out.note("Press Ctrl-C to stop.");
  const signal = await untilSignal(["SIGINT", "SIGTERM"]);
  out.note(`Received ${signal}; stopping the server...`);
  await running.close();
  out.note("Server stopped.");
}

export async function pruneCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(PruneOptions, raw);
  const { pruneOffline, redactDatabaseUrl } = await import("@baton/server");
  const databaseUrl = options.databaseUrl ?? localDatabaseUrl(ctx.settings());
  const { out } = ctx;
  let deleted = 0;
  const result = await pruneOffline(databaseUrl, {
    olderThanDays: options.olderThan,
    apply: options.yes,
    onBatch: (batch) => {
      deleted += batch.flowRuns;
      if (!options.json) out.note(`deleted ${deleted} flow run(s) so far...`);
    },
  });
  if (options.json) {
    out.json({ dry_run: !options.yes, ...result });
    return;
  }
  const { summary } = result;
  const where = redactDatabaseUrl(databaseUrl);
  if (summary.flowRuns === 0) {
    out.line(`Nothing to prune in ${where}: no finished flow run was made and ended before ${summary.cutoff}.`);
    return;
  }
  const states = Object.entries(summary.byState).map(([state, n]) => `${n} ${state}`).join(", ");
  const what = `${summary.flowRuns} flow run(s) (${states}), ${summary.taskRuns} task run(s), ${summary.logs} log line(s) and ${summary.results} stored result(s), made ${summary.oldest} to ${summary.newest}`;
  if (!result.deleted) {
    out.line(`Dry run: would delete ${what}, from ${where} (finished before ${summary.cutoff}).`);
    out.note(`Delete them with: baton server prune --older-than ${String(raw && (raw as { olderThan?: string }).olderThan)} --yes`);
    return;
  }
  out.line(`Deleted ${result.deleted.flowRuns} flow run(s), ${result.deleted.taskRuns} task run(s), ${result.deleted.logs} log line(s) and ${result.deleted.results} stored result(s) from ${where} (finished before ${summary.cutoff}).`);
}

export async function createAdminKeyCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(CreateAdminKeyOptions, raw);
  const { createAdminKeyOffline, redactDatabaseUrl } = await import("@baton/server");
  const databaseUrl = options.databaseUrl ?? localDatabaseUrl(ctx.settings());
  const created = await createAdminKeyOffline(databaseUrl, { name: options.name });
  if (ctx.out.structured) return ctx.out.json(created);
  ctx.out.line(`Created the admin API key "${created.name}" in ${redactDatabaseUrl(databaseUrl)} (shown once, keep it safe):`);
  ctx.out.line(`  ${created.key}`);
  ctx.out.note("Use it with: baton login --url http://HOST:PORT/api --key KEY (or BATON_API_KEY=KEY); revoke the lost keys with baton api-key revoke NAME");
}

const DatabaseOptions = z.object({ databaseUrl: z.string().min(1, "must not be empty").optional(), json: z.boolean().default(false) });
const ResetOptions = DatabaseOptions.extend({ yes: z.boolean().default(false) });

export async function databaseUpgradeCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(DatabaseOptions, raw);
  const { upgradeDatabaseOffline } = await import("@baton/server");
  const result = await upgradeDatabaseOffline(options.databaseUrl ?? localDatabaseUrl(ctx.settings()));
  if (options.json) return ctx.out.json({ database: result.database, applied: result.applied });
  if (result.applied.length === 0) return ctx.out.line(`Database ${result.database} is up to date`);
  ctx.out.line(`Upgraded ${result.database}: applied ${result.applied.join(", ")}`);
}

export async function databaseResetCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ResetOptions, raw);
  const databaseUrl = options.databaseUrl ?? localDatabaseUrl(ctx.settings());
  const { redactDatabaseUrl, resetDatabaseOffline } = await import("@baton/server");
  if (!options.yes) {
    throw new UsageError(`server database reset deletes every run, deployment, work pool and API key in ${redactDatabaseUrl(databaseUrl)}; add --yes to do it`);
  }
  const result = await resetDatabaseOffline(databaseUrl);
  if (options.json) return ctx.out.json(result);
  ctx.out.line(`Reset ${result.database}: ${result.reverted.length} migration(s) reverted, ${result.applied.length} applied; it is empty`);
  ctx.out.note("The next server start makes a new admin API key (the old keys are gone)");
}
