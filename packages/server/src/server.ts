import { createApp, type ServerLogLevel } from "./app.js";
import { redactDatabaseUrl } from "./db/url.js";
import { readTlsFiles } from "./http/tls.js";
import type { ApiKeyCreated } from "@baton/core";
import { checkListenAuth, ensureBootstrapKey } from "./auth/bootstrap.js";
import type { FailureLimiterOptions } from "./auth/rate-limit.js";
import { listenMetrics, type MetricsListener } from "./metrics/index.js";
import type { NotificationOptions } from "./notifications/service.js";

export interface StartServerOptions {
  databaseUrl: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4200; 0 picks a free port. */
  port?: number;
  logLevel?: ServerLogLevel;
  logFormat?: "text" | "json";
  heartbeatTimeoutSeconds?: number;
  servicesLoopSeconds?: number;
  lateAfterSeconds?: number;
  /** Encrypts secrets; default BATON_SERVER_ENCRYPTION_KEY, else `server.key` in `batonHome`. */
  encryptionKey?: string;
  batonHome?: string;
  /** Serve HTTPS: a PEM certificate (chain) file and its key file; both or neither. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Origins whose pages may call the API from a browser; none: CORS closed. */
  corsAllowedOrigins?: readonly string[];
  /**
   * Authentication: on unless `enabled: false`. `apiAuthString` (user:password) is accepted as
   * HTTP basic; `bootstrapApiKey` is the admin key stored when the database has no admin key.
   */
  auth?: { enabled?: boolean; apiAuthString?: string | undefined; bootstrapApiKey?: string | undefined; rateLimit?: FailureLimiterOptions; runTokenTtlSeconds?: number | undefined };
  /**
   * Called with the admin key made at this start because the database had none, before the
   * server listens (so a client started on "listening" finds it wherever this puts it). Without
   * it, a key the server made is written to its log once.
   */
  onBootstrapKey?: (created: ApiKeyCreated) => void | Promise<void>;
  /** Consent to listen on a non-loopback address with authentication off (`--insecure-no-auth`). */
  insecureNoAuth?: boolean;
  /** Serve Prometheus metrics at `/metrics` on this separate port (host: the server's unless given); none when absent. */
  metrics?: { port: number; host?: string | undefined; token?: string | undefined };
  /** Delete finished runs older than this many days in the background (BATON_SERVER_RETENTION_DAYS); none when absent. */
  retentionDays?: number | undefined;
  /** Notification delivery: the UI's address for links (default BATON_UI_URL), retries. */
  notifications?: NotificationOptions;
  /** Largest result stored on the server, in bytes (BATON_SERVER_RESULT_MAX_BYTES; default 16 MiB). */
  resultMaxBytes?: number | undefined;
}

export interface RunningServer {
  /** `http://127.0.0.1:4200` (`https://` with TLS); the API is under `${url}/api`. */
  url: string;
  /** Whether the server checks credentials. */
  authEnabled: boolean;
  /** `http://host:port` of the metrics port (they are at `/metrics`), when one was asked for. */
  metricsUrl?: string;
  /** Stop accepting requests, finish those in flight, stop the services, close the database. */
  close(): Promise<void>;
}

/** Start the API server and listen. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const authEnabled = options.auth?.enabled !== false;
  checkListenAuth(options.host ?? "127.0.0.1", authEnabled, options.insecureNoAuth === true);
  const tls = readTlsFiles({ certFile: options.tlsCertFile, keyFile: options.tlsKeyFile });
  const baton = await createApp({
    auth: { enabled: authEnabled, apiAuthString: options.auth?.apiAuthString, runTokenTtlSeconds: options.auth?.runTokenTtlSeconds, ...(options.auth?.rateLimit ? { rateLimit: options.auth.rateLimit } : {}) },
    ...(tls ? { tls } : {}),
    ...(options.corsAllowedOrigins ? { corsAllowedOrigins: options.corsAllowedOrigins } : {}),
    databaseUrl: options.databaseUrl,
    logLevel: options.logLevel ?? "info",
    ...(options.logFormat ? { logFormat: options.logFormat } : {}),
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
    ...(options.batonHome ? { batonHome: options.batonHome } : {}),
    ...(options.notifications ? { notifications: options.notifications } : {}),
    ...(options.resultMaxBytes !== undefined ? { resultMaxBytes: options.resultMaxBytes } : {}),
    services: {
      ...(options.heartbeatTimeoutSeconds !== undefined ? { heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds } : {}),
      ...(options.servicesLoopSeconds !== undefined ? { loopSeconds: options.servicesLoopSeconds } : {}),
      ...(options.lateAfterSeconds !== undefined ? { lateAfterSeconds: options.lateAfterSeconds } : {}),
      ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
    },
  });
  const database = redactDatabaseUrl(options.databaseUrl);
  let metrics: MetricsListener | undefined;
  try {
    // Before listening: nobody can be refused for want of a key that is about to exist.
    const bootstrapKey = authEnabled ? await ensureBootstrapKey(baton.db, options.auth?.bootstrapApiKey) : undefined;
    if (bootstrapKey && options.onBootstrapKey) await options.onBootstrapKey(bootstrapKey);
    // Nobody to hand it to: the log is the only place left, and a key never shown locks everyone out.
    else if (bootstrapKey && !options.auth?.bootstrapApiKey) baton.app.log.warn(`created the admin API key "${bootstrapKey.name}" (shown once): ${bootstrapKey.key}`);
    await baton.app.listen({
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 4200,
      listenTextResolver: (address) => `Baton server listening on ${address} (API ${address}/api, docs ${address}/api/docs), database ${database}`,
    });
    if (options.metrics) metrics = await listenMetrics(baton.metrics, { host: options.metrics.host ?? options.host ?? "127.0.0.1", port: options.metrics.port, token: options.metrics.token });
  } catch (error) {
    await baton.close();
    throw error;
  }
  const address = baton.app.server.address();
  const host = typeof address === "object" && address ? (address.family === "IPv6" ? `[${address.address}]` : address.address) : (options.host ?? "127.0.0.1");
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `${tls ? "https" : "http"}://${host}:${port}`,
    authEnabled,
    ...(metrics ? { metricsUrl: metrics.url } : {}),
    close: async () => {
      await metrics?.close();
      await baton.close();
    },
  };
}
