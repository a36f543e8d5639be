import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { timingSafeEqual, createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { ServerMetrics } from "./registry.js";

export interface MetricsListenOptions {
  host: string;
  port: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

export interface MetricsListener {
  /** `http://host:port` (the metrics are at `/metrics`). */
  url: string;
  close(): Promise<void>;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether `header` carries the bearer token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

/**
 * Metrics on a port of their own, apart from the API: the API's port is what an ingress
 * publishes, this one stays inside the cluster (only Prometheus needs it), and no API key with
 * its rights has to be handed to the scraper. An optional bearer token guards it further.
 */
export async function listenMetrics(metrics: ServerMetrics, options: MetricsListenOptions): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: the metrics are at GET /metrics\n");
      return;
    }
    if (options.token && !bearerMatches(request.headers.authorization, options.token)) {
      response.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("Unauthorized: send Authorization: Bearer <BATON_SERVER_METRICS_TOKEN>\n");
      return;
    }
    metrics.render().then(
      (text) => response.writeHead(200, { "content-type": metrics.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${(error as Error).message}\n`),
    );
  });
  // once() rejects on "error": a port in use fails the start.
  await once(server.listen(options.port, options.host), "listening");
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
