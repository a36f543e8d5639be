import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { WorkerMetrics } from "./worker-metrics.js";

export interface WorkerHealth {
  /** When the server last accepted this worker's heartbeat. */
  lastAccepted(): Date | undefined;
  heartbeatSeconds: number;
}

export interface WorkerMetricsListener {
  url: string;
  close(): Promise<void>;
}

/** Beats missed before the worker calls itself unhealthy (the server shows it Offline after three). */
const MISSED_BEATS = 3;

/**
 * `GET /healthz`: 200 while the server accepted a heartbeat within three heartbeat intervals,
 * else 503 (a liveness probe restarts a worker that lost the server for good, or is stuck);
 * `GET /metrics`: the worker's Prometheus metrics. Unauthenticated: the port is the pod's, for
 * the kubelet and Prometheus, and holds nothing secret (see docs/metrics.md).
 */
export async function listenWorkerMetrics(metrics: WorkerMetrics, health: WorkerHealth, options: { host: string; port: number }): Promise<WorkerMetricsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && path === "/healthz") {
      const last = health.lastAccepted();
      const ageSeconds = last ? (Date.now() - last.getTime()) / 1000 : undefined;
      const healthy = ageSeconds !== undefined && ageSeconds <= MISSED_BEATS * health.heartbeatSeconds;
      const body = { status: healthy ? "ok" : "unhealthy", last_heartbeat: last?.toISOString() ?? null, ...(healthy ? {} : { reason: last ? `no heartbeat accepted by the server for ${Math.round(ageSeconds!)}s` : "the server has not accepted a heartbeat yet" }) };
      response.writeHead(healthy ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
      return;
    }
    if (request.method === "GET" && path === "/metrics") {
      metrics.render().then(
        (text) => response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${(error as Error).message}\n`),
      );
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end("Not found: GET /healthz or /metrics\n");
  });
  // once() rejects on "error": a port in use fails the start.
  await once(server.listen(options.port, options.host), "listening");
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
