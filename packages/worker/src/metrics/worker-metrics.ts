import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const CLAIM_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 60];

export interface WorkerMetrics {
  readonly registry: Registry;
  claimAnswered(seconds: number, runs: number): void;
  launched(): void;
  launchFailed(): void;
  render(): Promise<string>;
}

/**
 * A worker's own Prometheus metrics, in a registry of its own: runs in flight (read at each
 * scrape), runs launched and launches that failed, and how long its claims waited.
 */
export function createWorkerMetrics(labels: { pool: string; worker: string }, inFlight: () => number): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: "baton_worker_" });
  new Gauge({
    name: "baton_worker_runs_in_flight",
    help: "Flow runs this worker is running now (launched or being launched, not ended)",
    registers: [registry],
    collect() {
      this.set(inFlight());
    },
  });
  const launches = new Counter({ name: "baton_worker_launches_total", help: "Flow runs this worker launched on its infrastructure", registers: [registry] });
  const failures = new Counter({ name: "baton_worker_launch_failures_total", help: "Flow runs this worker could not start on its infrastructure (recorded Crashed)", registers: [registry] });
  const claims = new Histogram({ name: "baton_worker_claim_wait_seconds", help: "How long each claim waited for an answer (a long poll waits until a run is due), by whether it brought runs", labelNames: ["outcome"], buckets: CLAIM_BUCKETS, registers: [registry] });
  const claimedRuns = new Counter({ name: "baton_worker_claimed_runs_total", help: "Flow runs this worker claimed", registers: [registry] });
  return {
    registry,
    claimAnswered(seconds, runs) {
      claims.observe({ outcome: runs > 0 ? "runs" : "empty" }, seconds);
      claimedRuns.inc(runs);
    },
    launched: () => launches.inc(),
    launchFailed: () => failures.inc(),
    render: () => registry.metrics(),
  };
}
