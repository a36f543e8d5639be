export { createServerMetrics, type ServerMetrics } from "./registry.js";
export { listenMetrics, bearerMatches, type MetricsListener, type MetricsListenOptions } from "./listener.js";
