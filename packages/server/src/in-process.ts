import type { Transport, TransportRequest, TransportResponse } from "@baton/core";
import { createApp, type ServerLogLevel } from "./app.js";
import { redactDatabaseUrl } from "./db/url.js";

export interface InProcessTransportOptions {
  databaseUrl: string;
  /** The embedded app's own log level (default "silent": the user's terminal is for the flow's output). */
  logLevel?: ServerLogLevel;
  /** Encrypts secrets; default BATON_SERVER_ENCRYPTION_KEY, else `server.key` in `batonHome`. */
  encryptionKey?: string;
  batonHome?: string;
}

function toQueryString(query: TransportRequest["query"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return out;
}

/**
 * The API without a network: the same Fastify app (routes, validation, orchestration rules)
 * answering through `inject()`, on a local database, with no background services. This is how
 * runs are recorded when no server is configured, in the database `baton server start` opens.
 */
export async function openInProcessTransport(options: InProcessTransportOptions): Promise<Transport> {
  const baton = await createApp({
    databaseUrl: options.databaseUrl,
    logLevel: options.logLevel ?? "silent",
    services: false,
    // Nothing but this process can reach an app answering through inject(): no credentials to check.
    auth: { enabled: false },
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
    ...(options.batonHome ? { batonHome: options.batonHome } : {}),
  });
  return {
    description: `${redactDatabaseUrl(options.databaseUrl)} (in-process)`,
    async request(request: TransportRequest): Promise<TransportResponse> {
      request.signal?.throwIfAborted();
      const response = await baton.app.inject({
        method: request.method,
        url: `/api${request.path}`,
        query: toQueryString(request.query),
        ...(request.body !== undefined ? { payload: JSON.stringify(request.body), headers: { "content-type": "application/json" } } : {}),
      });
      const text = response.body;
      const headers: Record<string, string | string[] | undefined> = {};
      for (const [key, value] of Object.entries(response.headers)) headers[key] = typeof value === "number" ? String(value) : value;
      return { status: response.statusCode, body: text.length > 0 ? JSON.parse(text) : null, headers };
    },
    close: () => baton.close(),
  };
}
