import { closestName } from "../suggest.js";
import { z } from "zod";

/**
 * Every Baton setting: its environment variable name, what it holds and its default.
 * Values are read from the environment first, then the active profile, then these defaults
 * (the sdk's settings module does the reading; this table has no I/O).
 */
export interface SettingDef {
  schema: z.ZodTypeAny;
  description: string;
  /** Shown as `****` by `baton config view`. */
  secret?: boolean;
  /** A fixed default, or none. Defaults that depend on the environment (BATON_HOME) are filled by the reader. */
  default?: string;
}

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), "must be true or false")
  .transform((v) => ["true", "1", "yes"].includes(v));
const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().positive();
const BYTE_UNITS: Record<string, number> = { "": 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
/** A size: bytes, or with a binary unit (`64MiB`, `512KiB`). */
const byteSize = (max: number, maxText: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?\s*(b|kib|mib|gib)?$/i, "must be a size in bytes, or with a unit: 512KiB, 64MiB, 1GiB")
    .transform((v) => {
      const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v)!;
      return Math.floor(Number(amount) * BYTE_UNITS[unit!.toLowerCase()]!);
    })
    .pipe(z.number().int().min(1, "must be at least 1 byte").max(max, `must be at most ${maxText}`));
const pathOf = (value: string): string | undefined => {
  try {
    return new URL(value).pathname;
  } catch {
    return undefined;
  }
};
/** An http(s) URL: the client speaks nothing else, and an ftp:// or a bare host must be named, not crash a request. */
const url = z
  .string()
  .url("must be a URL such as http://127.0.0.1:4200/api")
  .refine((value) => pathOf(value) === undefined || /^https?:\/\//i.test(value), "must start with http:// or https://, e.g. http://127.0.0.1:4200/api");
/** The API's URL ends with /api (behind a proxy too: https://host/baton/api): without it every call answers "no route". */
const apiUrl = url.refine((value) => pathOf(value) === undefined || /\/api\/?$/.test(pathOf(value)!), "must end with /api, where the server answers, e.g. http://127.0.0.1:4200/api");
const logLevel = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]));

export const SETTINGS = {
  BATON_HOME: { schema: z.string().min(1), description: "Folder for profiles, the local database and persisted results (default ~/.baton)" },
  BATON_PROFILE: { schema: z.string().min(1), description: "The active profile (overrides the one chosen with baton profile use)" },
  BATON_API_URL: { schema: apiUrl, description: "The Baton API, e.g. http://127.0.0.1:4200/api; unset: record runs in the local database" },
  BATON_UI_URL: { schema: url, description: "Where the web UI is, for links printed by the CLI and sent in notifications by the server" },
  BATON_API_KEY: { schema: z.string().min(1), description: "API key sent as a Bearer token", secret: true },
  BATON_API_AUTH_STRING: { schema: z.string().regex(/^[^:]+:.+$/, "must be user:password"), description: "HTTP basic credentials (user:password) for a server behind basic auth", secret: true },
  BATON_API_TLS_INSECURE_SKIP_VERIFY: { schema: bool, description: "Do not verify the server's TLS certificate (unsafe)", default: "false" },
  BATON_API_SSL_CERT_FILE: { schema: z.string().min(1), description: "A CA bundle (PEM) to trust for the API's certificate" },
  BATON_API_SSL_CERT: { schema: z.string().includes("-----BEGIN CERTIFICATE-----", { message: "must hold a PEM certificate (-----BEGIN CERTIFICATE-----)" }), description: "The same CA bundle as text: how a worker hands its CA to a run in a container, where its file is not" },
  BATON_API_REQUEST_TIMEOUT_SECONDS: { schema: seconds, description: "How long one API request may take", default: "60" },
  BATON_LOGGING_LEVEL: { schema: logLevel, description: "Lowest level of run logs printed and sent", default: "INFO" },
  BATON_LOGGING_TO_API: { schema: bool, description: "Send run logs to the server", default: "true" },
  BATON_LOGGING_LOG_PRINTS: { schema: bool, description: "Send console.log, console.error and friends called inside flows and tasks to the run's logs (a flow's or task's logPrints option wins)", default: "false" },
  BATON_API_OUTAGE_SECONDS: { schema: seconds, description: "How long a run keeps its logs and states and keeps sending them while the server cannot be reached, before it gives up and says so", default: "600" },
  BATON_FLOW_RUN_HEARTBEAT_SECONDS: { schema: seconds, description: "How often a running flow tells the server it is alive", default: "10" },
  BATON_WORKER_ALLOW_ENV: { schema: z.string(), description: "Comma-separated environment variables of the worker's host (APP_* for a family) that {{ $NAME }} in a job configuration may read; empty: none. Never BATON_API_KEY or the server's secrets", default: "" },
  BATON_RESULTS_DIR: { schema: z.string().min(1), description: "Where persisted task results and cache entries are kept (default $BATON_HOME/results)" },
  BATON_RESULTS_STORAGE: { schema: z.string().regex(/^(local|server|s3:\/\/[^/\s]+(\/\S*)?)$/, "must be local, server or s3://bucket[/prefix]"), description: "Where persisted task results and cache entries go: local (this machine's BATON_RESULTS_DIR), server (the Baton server: every pod sees them), or s3://bucket[/prefix] (S3-compatible storage); a flow's or task's resultStorage wins", default: "local" },
  BATON_RESULTS_S3_ENDPOINT: { schema: z.url(), description: "The S3-compatible endpoint for s3:// result storage (MinIO, https://storage.googleapis.com); unset: AWS" },
  BATON_RESULTS_S3_REGION: { schema: z.string().min(1), description: "The region for s3:// result storage (default AWS_REGION, else us-east-1)" },
  BATON_RESULTS_S3_CREDENTIALS_SECRET: { schema: z.string().min(1), description: "A Baton secret holding {\"access_key_id\", \"secret_access_key\"} (JSON) for s3:// result storage; unset: the usual AWS variables, profile or role" },

  BATON_SERVER_HOST: { schema: z.string().min(1), description: "Address the server listens on", default: "127.0.0.1" },
  BATON_SERVER_PORT: { schema: port, description: "Port the server listens on", default: "4200" },
  BATON_SERVER_DATABASE_URL: { schema: z.string().min(1), description: "postgresql://... for PostgreSQL; default SQLite at $BATON_HOME/baton.db", secret: true },
  BATON_SERVER_API_AUTH_STRING: { schema: z.string().regex(/^[^:]+:.+$/, "must be user:password"), description: "Require HTTP basic credentials (user:password)", secret: true },
  BATON_SERVER_AUTH_ENABLED: { schema: bool, description: "Check credentials on every API request; false only on a trusted machine (the server refuses a non-loopback address without auth unless --insecure-no-auth)", default: "true" },
  BATON_SERVER_BOOTSTRAP_API_KEY: { schema: z.string().min(1), description: "The admin key (bat_...) a server with no admin key starts with; unset: the server makes one and prints it once", secret: true },
  BATON_SERVER_ENCRYPTION_KEY: { schema: z.string().min(32), description: "Key that encrypts secrets at rest", secret: true },
  BATON_SERVER_RUN_TOKEN_TTL_SECONDS: { schema: z.coerce.number().int("must be whole seconds").min(60, "must be at least 60").max(86_400, "must be at most 86400 (24 h)"), description: "How long a run's token lives before the run renews it (at most 24 h)", default: "86400" },
  BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS: { schema: seconds, description: "A RUNNING flow run (or one paused by pauseFlowRun, whose process waits) with no heartbeat for this long is marked Crashed", default: "60" },
  BATON_SERVER_SERVICES_LOOP_SECONDS: { schema: seconds, description: "How often background services (crashed-run detection, late runs) look", default: "5" },
  BATON_SERVER_TLS_CERT_FILE: { schema: z.string().min(1), description: "Serve HTTPS with this PEM certificate (chain) file; needs BATON_SERVER_TLS_KEY_FILE" },
  BATON_SERVER_TLS_KEY_FILE: { schema: z.string().min(1), description: "The PEM private key of BATON_SERVER_TLS_CERT_FILE" },
  BATON_SERVER_CORS_ALLOWED_ORIGINS: { schema: z.string(), description: "Comma-separated origins (https://ui.example.com) whose pages may call the API; empty: CORS closed", default: "" },
  BATON_SERVER_LOG_LEVEL: { schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), description: "The server's own log level", default: "info" },
  BATON_SERVER_METRICS_PORT: { schema: port, description: "Serve Prometheus metrics at /metrics on this separate port (not the API's); unset: no metrics" },
  BATON_SERVER_METRICS_HOST: { schema: z.string().min(1), description: "Address the metrics port listens on (default: BATON_SERVER_HOST)" },
  BATON_SERVER_METRICS_TOKEN: { schema: z.string().min(16, "must be at least 16 characters"), description: "When set, /metrics needs Authorization: Bearer <this token>", secret: true },
  BATON_SERVER_RESULT_MAX_BYTES: { schema: byteSize(256 * 1024 ** 2, "256MiB (a request body must fit in memory; store larger results in s3:// storage)"), description: "Largest result one run may store on the server (resultStorage server), and largest resume input, in bytes or with a unit (64MiB); a larger one is refused with 413 ResultTooLarge (ResumeInputTooLarge)", default: "16MiB" },
  BATON_SERVER_RETENTION_DAYS: { schema: z.coerce.number().positive("must be a number of days > 0"), description: "Delete finished flow runs (with their task runs, states and logs) older than this many days, in small batches in the background; unset: keep everything" },
  BATON_SERVER_NOTIFICATION_RETRY_SECONDS: { schema: seconds, description: "Wait before a failed notification delivery is tried again; doubles with each attempt, up to an hour", default: "10" },
  BATON_SERVER_NOTIFICATION_MAX_ATTEMPTS: { schema: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(100), description: "Attempts before a notification delivery is given up as failed (baton notification deliveries shows it)", default: "8" },
  BATON_WORKER_METRICS_PORT: { schema: port, description: "A worker serves /healthz and Prometheus /metrics on this port (baton worker start --metrics-port); unset: none" },
  BATON_WORKER_METRICS_HOST: { schema: z.string().min(1), description: "Address the worker's metrics port listens on (0.0.0.0 in a pod, so the kubelet's probes reach it)", default: "127.0.0.1" },
} as const satisfies Record<string, SettingDef>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
export const isSettingName = (name: string): name is SettingName => Object.hasOwn(SETTINGS, name);

/** The known setting closest to a mistyped one, if any is close enough to be a plausible typo. */
export function closestSetting(name: string): SettingName | undefined {
  const wanted = name.toUpperCase().startsWith("BATON_") ? name.toUpperCase() : `BATON_${name.toUpperCase()}`;
  return closestName(wanted, SETTING_NAMES, Math.max(3, Math.floor(wanted.length / 4)));
}
