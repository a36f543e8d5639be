import { routes, type RouteDef } from "@baton/core";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { openDatabase, type BatonDatabase } from "./db/open.js";
import { parseDatabaseUrl } from "./db/url.js";
import { deploymentRoutes } from "./deployments/routes.js";
import { createNotifier } from "./wake-up/notifier.js";
import { wakeClaimsWith } from "./orchestration/road.js";
import { EventBus, captureEvents, eventRoutes } from "./events/index.js";
import { dispatchRoutes } from "./dispatch/routes.js";
import { flowRunRoutes } from "./flow-runs/routes.js";
import { flowRoutes } from "./flows/routes.js";
import type { RouteContext } from "./http/context.js";
import { installBodyDepthLimit } from "./http/body-depth.js";
import { installCompression } from "./http/compress.js";
import { installErrorHandlers } from "./http/errors.js";
import { frameworkErrorOptions } from "./http/framework-errors.js";
import { textLogStream } from "./http/log-stream.js";
import { registerOpenApi } from "./http/openapi.js";
import { installSecurity, SERVER_TIMEOUTS } from "./http/security.js";
import { logRoutes } from "./logs/routes.js";
import { createServerMetrics, type ServerMetrics } from "./metrics/index.js";
import { installRequestMetrics } from "./metrics/requests.js";
import { reportRoutes } from "./reports/routes.js";
import { runTokenRoutes } from "./auth/run-tokens/index.js";
import { installAuth, type AuthOptions } from "./auth/hook.js";
import { authRoutes } from "./auth/routes.js";
import { secretKeyProvider } from "./secrets/key.js";
import { secretRoutes } from "./secrets/routes.js";
import { startServices, type ServiceOptions, type Services } from "./services/index.js";
import { fillDeploymentSchedules } from "./services/scheduler.js";
import { systemRoutes } from "./system/routes.js";
import { taskRunRoutes } from "./task-runs/routes.js";
import { uiApiRoutes } from "./ui/api-routes.js";
import { mountUi } from "./ui/static.js";
import { variableRoutes } from "./variables/routes.js";
import { concurrencyRoutes } from "./concurrency/routes.js";
import { notificationRoutes } from "./notifications/routes.js";
import { startNotifications, type NotificationOptions } from "./notifications/service.js";
import { automationReaders, automationRoutes } from "./automations/index.js";
import { artifactRoutes } from "./artifacts/routes.js";
import { resultRoutes } from "./results/routes.js";
import { DEFAULT_RESULT_MAX_BYTES } from "./results/repository.js";
import { workPoolRoutes } from "./work-pools/routes.js";

export type ServerLogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface CreateAppOptions {
  /** `sqlite:///abs/path/baton.db`, `sqlite::memory:` or `postgresql://...`. */
  databaseUrl: string;
  /** The server's own log level (default "info"); requests are logged at "debug". */
  logLevel?: ServerLogLevel;
  /** "text" (default): a line per record, for people; "json": pino's records, for log shippers. */
  logFormat?: "text" | "json";
  /** Background services (crashed runs, late runs): on by default; `false` for an in-process client. */
  services?: boolean | ServiceOptions;
  /** Largest request body accepted, in bytes (default 64 MiB: a full report batch fits). */
  bodyLimitBytes?: number;
  /** Encrypts secrets (32 bytes as base64 or hex, or a passphrase); default BATON_SERVER_ENCRYPTION_KEY, else a key file. */
  encryptionKey?: string;
  /** Where the secrets key file `server.key` is made when no key is given (default $BATON_HOME, else ~/.baton). */
  batonHome?: string;
  /** The built web UI served at `/` (default: the @baton/ui package's dist, or BATON_SERVER_UI_DIR). */
  uiDir?: string;
  /** Serve HTTPS with this PEM certificate (chain) and key; default plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Origins whose pages may call the API from a browser (BATON_SERVER_CORS_ALLOWED_ORIGINS); none: CORS closed. */
  corsAllowedOrigins?: readonly string[];
  /** Authentication and authorization (default on; off only for `baton dev` and the in-process client). */
  auth?: AuthOptions;
  /** Notification delivery (runs with the services); `uiUrl` defaults to BATON_UI_URL. */
  notifications?: NotificationOptions;
  /** Largest result stored on the server (`resultStorage: "server"`), in bytes (default 16 MiB; BATON_SERVER_RESULT_MAX_BYTES). */
  resultMaxBytes?: number;
}

export interface BatonApp {
  app: FastifyInstance;
  db: BatonDatabase;
  /** Prometheus metrics of this app (served on their own port by startServer's `metrics`). */
  metrics: ServerMetrics;
  /** Stop the services, close the app and the database. */
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

/** The Baton API: every route of the table in `@baton/core`, mounted under `/api`. */
export async function createApp(options: CreateAppOptions): Promise<BatonApp> {
  const events = new EventBus();
  const db = captureEvents(await openDatabase(options.databaseUrl, { backgroundCheckpoints: options.services !== false }), events); // live updates for the UI
  const logLevel = options.logLevel ?? "info";
  const app = Fastify({
    logger: { level: logLevel, ...(options.logFormat === "json" ? {} : { stream: textLogStream() }) },
    // One line per request would drown everything else: requests are logged only when debugging.
    logController: new LogController({ disableRequestLogging: logLevel !== "debug" && logLevel !== "trace" }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    connectionTimeout: SERVER_TIMEOUTS.connectionTimeoutMs,
    keepAliveTimeout: SERVER_TIMEOUTS.keepAliveTimeoutMs,
    requestTimeout: SERVER_TIMEOUTS.requestTimeoutMs,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    ...frameworkErrorOptions({ tls: options.tls !== undefined }),
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = SERVER_TIMEOUTS.headersTimeoutMs;
  let services: Services | undefined;
  let notifications: ReturnType<typeof startNotifications> | undefined;
  const notificationOptions: NotificationOptions = { uiUrl: process.env.BATON_UI_URL, ...options.notifications };
  /** Ready once the services' first pass is over (or when this process runs none). */
  const readiness = { done: options.services === false };
  const parsedUrl = parseDatabaseUrl(options.databaseUrl);
  const notifier = createNotifier({
    listenUrl: parsedUrl.kind === "postgresql" ? parsedUrl.connectionString : undefined,
    onError: (error) => app.log.warn({ err: error }, "the dispatch LISTEN connection failed; reconnecting"),
    onListening: (first) => {
      if (!first) app.log.warn("the dispatch LISTEN connection is back; waiting claims look again");
    },
  });
  // Every state change goes through the road (orchestration/road.ts), which wakes this replica's
  // waiting claims after its commits (and the other replicas' through NOTIFY).
  wakeClaimsWith(db, (pool) => notifier.wake(pool));
  // Long-polling claims answer at once when the server stops, instead of holding the close.
  app.addHook("preClose", async () => notifier.close());
  const metrics = createServerMetrics(db);
  app.addHook("onClose", async () => metrics.close());
  const secretKey = secretKeyProvider({ encryptionKey: options.encryptionKey, batonHome: options.batonHome });
  try {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandlers(app);
    installRequestMetrics(app, metrics);
    installBodyDepthLimit(app);
    await installSecurity(app, { tls: options.tls !== undefined, ...(options.corsAllowedOrigins ? { corsAllowedOrigins: options.corsAllowedOrigins } : {}) });
    await registerOpenApi(app);
    await app.register(
      async (api) => {
        await installCompression(api);
        const context: RouteContext = { app: api, database: db };
        // First: its hooks must cover every route mounted after it in this plugin.
        const auth = installAuth(api, db, options.auth ?? { enabled: true });
        authRoutes(context, auth);
        systemRoutes(context, () => readiness.done);
        for (const mount of [flowRoutes, taskRunRoutes, reportRoutes, logRoutes, variableRoutes, concurrencyRoutes, artifactRoutes]) mount(context);
        // Waits for a run's final state hear of it from the event bus (this replica's commits and the others').
        flowRunRoutes(context, (runId, onFinal) => events.watchFinal(runId, onFinal));
        deploymentRoutes(context, notifier, fillDeploymentSchedules);
        workPoolRoutes(context, notifier);
        dispatchRoutes(context, notifier);
        secretRoutes(context, secretKey);
        eventRoutes(context, events, { listenUrl: parsedUrl.kind === "postgresql" ? parsedUrl.connectionString : undefined });
        uiApiRoutes(context, options.resultMaxBytes ?? DEFAULT_RESULT_MAX_BYTES);
        runTokenRoutes(context, secretKey);
        automationRoutes(context);
        notificationRoutes(context, { key: secretKey, uiUrl: notificationOptions.uiUrl, kick: () => notifications?.kick() });
        resultRoutes(context, options.resultMaxBytes ?? DEFAULT_RESULT_MAX_BYTES);
      },
      { prefix: "/api" },
    );
    await mountUi(app, { dir: options.uiDir });
    await app.ready();
    warnUnmountedRoutes(app);
    if (options.services !== false) {
      services = startServices(db, app.log, options.services === true || options.services === undefined ? {} : options.services, notifier, db.commits);
      void services.firstPass.then(() => (readiness.done = true));
      const readers = automationReaders({ database: db, key: secretKey, wake: (pool) => notifier.wake(pool) }, app.log, notificationOptions.uiUrl);
      notifications = startNotifications(db, secretKey, app.log, notificationOptions, readers);
    }
  } catch (error) {
    await notifier.close().catch(() => undefined);
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    metrics,
    close: () =>
      (closing ??= (async () => {
        await Promise.all([services?.stop(), notifications?.stop()]);
        await app.close();
        await db.close();
      })()),
  };
}

/**
 * A route of the contract the server does not mount answers 404 RouteNotFound: say so once at
 * start, loudly, rather than let a client find out (the OpenAPI test fails on it too).
 */
function warnUnmountedRoutes(app: FastifyInstance): void {
  const missing = Object.entries(routes as Record<string, RouteDef>).filter(([, route]) => !app.hasRoute({ method: route.method, url: `/api${route.path}` }));
  if (missing.length > 0) app.log.warn(`routes of @baton/core this server does not serve yet (they answer 404): ${missing.map(([name]) => name).join(", ")}`);
}
