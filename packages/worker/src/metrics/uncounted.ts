import type { WorkerMetrics } from "./worker-metrics.js";

/** What the worker loop counts as it goes: claims answered, launches, failed launches. */
export type RunCounters = Pick<WorkerMetrics, "claimAnswered" | "launched" | "launchFailed">;

/** The counters of a worker without a metrics port: nobody could read them, so nothing is kept. */
export const uncountedMetrics: RunCounters = {
  claimAnswered: () => undefined,
  launched: () => undefined,
  launchFailed: () => undefined,
};
