import type { FastifyInstance } from "fastify";
import type { ServerMetrics } from "./registry.js";

/**
 * Every API request's duration, labelled by its route's pattern (`/api/flow_runs/:id`), so the
 * label set stays bounded whatever the URLs; a URL no route matches counts as `unmatched`. The
 * UI's static files are not API requests and are left out.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    if (!request.url.startsWith("/api")) return;
    const route = request.routeOptions.url ?? "unmatched";
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
