import cors from "@fastify/cors";
import { BatonError, routes, type RouteDef } from "@baton/core";
import type { FastifyInstance } from "fastify";

/** What a request's body may weigh when its route is not one of the bulk routes below. */
export const DEFAULT_ROUTE_BODY_LIMIT = 1024 * 1024;

/**
 * Routes whose bodies are batches a running flow sends (task runs, states, log lines): they get
 * the app's whole limit. Everything else (a flow, a deployment, a variable) fits in 1 MiB, and
 * a smaller limit means a client cannot make the server parse 64 MiB of JSON for a variable.
 * A stored result sets its own (what a result of BATON_SERVER_RESULT_MAX_BYTES needs: results/routes.ts).
 */
const BULK_ROUTES: readonly RouteDef[] = [routes.reportRun, routes.createLogs];

/**
 * Timeouts against clients that are slow on purpose (slowloris) or by accident:
 * - the request headers must arrive within `headersTimeout`, the whole request (body too)
 *   within `requestTimeout`: Node answers 408 and closes otherwise. Neither counts the time
 *   the server takes to answer, so a claim that long-polls (wait_seconds up to 60, see
 *   ClaimRequestSchema) is not cut;
 * - a socket on which nothing moves for `connectionTimeout` is closed: that must exceed the
 *   longest long poll (60 s), and a server-sent-event stream must send a comment more often;
 * - an idle keep-alive connection is closed after `keepAliveTimeout`.
 */
export const SERVER_TIMEOUTS = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  connectionTimeoutMs: 180_000,
  keepAliveTimeoutMs: 72_000,
} as const;

/**
 * The page served at `/` is a same-origin single-page app: its scripts, styles and calls come
 * from the server itself. Inline styles are allowed (the API docs page and many component
 * libraries set style attributes); inline scripts are not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export interface SecurityOptions {
  /** Origins (`https://ui.example.com`) whose pages may call the API from a browser; none: CORS stays closed. */
  corsAllowedOrigins?: readonly string[];
  /** The server speaks TLS itself: browsers are told to keep to HTTPS (Strict-Transport-Security). */
  tls?: boolean;
}

/** `"https://a.example, https://b.example:8443"` -> the origins, each checked to be an origin. */
export function parseAllowedOrigins(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const items = (typeof value === "string" ? value.split(",") : value).map((item) => item.trim()).filter((item) => item.length > 0);
  return items.map((item) => {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new InvalidCorsOrigin(item, "is not a URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidCorsOrigin(item, "must start with https:// or http://");
    if (url.origin !== item.replace(/\/+$/, "")) throw new InvalidCorsOrigin(item, `must be an origin only, without path, query or user: ${url.origin}`);
    return url.origin;
  });
}

export class InvalidCorsOrigin extends BatonError {
  override readonly code = "InvalidCorsOrigin";
  constructor(origin: string, problem: string) {
    super(`InvalidCorsOrigin: BATON_SERVER_CORS_ALLOWED_ORIGINS entry "${origin}" ${problem}; give comma-separated origins such as https://baton.example.com`);
  }
}

function isApiPath(url: string): boolean {
  return url === "/api" || url.startsWith("/api/") || url.startsWith("/api?");
}

function isDocsPath(url: string): boolean {
  return url === "/api/docs" || url.startsWith("/api/docs/") || url.startsWith("/api/docs?");
}

/**
 * Protection every response gets, whatever route answers (errors and 404s included): security
 * headers, CORS only for the origins allowed, a body limit per route. Register it on the root
 * instance before the routes: the body limits are set as routes are added, and the CORS
 * preflight must be answered before any authentication hook asks for a credential.
 */
export async function installSecurity(app: FastifyInstance, options: SecurityOptions = {}): Promise<void> {
  const bulk = new Set(BULK_ROUTES.map((route) => `${route.method} /api${route.path}`));
  const appLimit = app.initialConfig.bodyLimit ?? DEFAULT_ROUTE_BODY_LIMIT;
  app.addHook("onRoute", (route) => {
    if (route.bodyLimit !== undefined) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((method) => bulk.has(`${method} ${route.url}`))) return;
    route.bodyLimit = Math.min(DEFAULT_ROUTE_BODY_LIMIT, appLimit);
  });

  const origins = options.corsAllowedOrigins ?? [];
  if (origins.length > 0) {
    await app.register(cors, {
      origin: [...origins],
      methods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
      allowedHeaders: ["authorization", "content-type", "x-csrf-token"],
      // The UI's session is a cookie: a page on an allowed origin may send it.
      credentials: true,
      maxAge: 600,
      strictPreflight: true,
    });
  }

  app.addHook("onSend", async (request, reply, payload) => {
    reply.headers(securityHeaders(request.url, options.tls === true));
    return payload;
  });
}

/**
 * The headers every answer carries, also those Fastify or Node write before any hook runs
 * (see framework-errors.ts).
 */
export function securityHeaders(url: string, tls: boolean): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    ...(tls ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
    // API answers carry runs, logs and keys: no cache (browser or proxy) keeps a copy. The
    // docs page's static files may be cached.
    ...(isApiPath(url) && !isDocsPath(url) ? { "cache-control": "no-store" } : {}),
  };
}
