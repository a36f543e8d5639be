import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { BatonDatabase } from "../db/open.js";
import { runClaimedChannel, runStartedChannel, type RunClaimed, type RunStarted } from "../orchestration/run-channels.js";
import { readDatabaseGauges } from "./gauges.js";

/** Seconds, from a tenth of a second to a day: waits for a run range from at once to a backlog. */
const WAIT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface ServerMetrics {
  readonly registry: Registry;
  /** One API request answered: `route` is the route's pattern (`/api/flow_runs/:id`), never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The Prometheus text of every metric, the database gauges read now. */
  render(): Promise<string>;
  readonly contentType: string;
  /** Stop listening to the run channels. */
  close(): void;
}

/**
 * The server's Prometheus metrics, in a registry of its own (two apps in one process keep two
 * sets). Counters and histograms are this replica's; the gauges read from the database are the
 * whole installation's (every replica reports the same).
 */
export function createServerMetrics(database: BatonDatabase): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "baton_server_" });
  const runs = new Gauge({ name: "baton_flow_runs", help: "Flow runs kept, by state type, state name and work pool (pool empty: none)", labelNames: ["state", "state_name", "pool"], registers: [registry] });
  const late = new Gauge({ name: "baton_flow_runs_late", help: "Flow runs in the Late state (Scheduled, past due, not claimed), by work pool", labelNames: ["pool"], registers: [registry] });
  const depth = new Gauge({ name: "baton_work_queue_depth", help: "Scheduled flow runs that are due and not claimed yet, by work pool and queue", labelNames: ["pool", "queue"], registers: [registry] });
  const lag = new Gauge({ name: "baton_scheduler_lag_seconds", help: "How long the most overdue deployment schedule has waited for the scheduler to make its runs (0: none overdue)", registers: [registry] });
  const dbPool = new Gauge({ name: "baton_db_pool_connections", help: "Database connections of this replica by state (total, idle, waiting: requests queued for a connection, max)", labelNames: ["state"], registers: [registry] });
  const scrapeErrors = new Counter({ name: "baton_metrics_database_errors_total", help: "Scrapes whose database gauges could not be read (they keep their last values)", registers: [registry] });
  const claimWait = new Histogram({ name: "baton_flow_run_claim_wait_seconds", help: "From when a run was due to when a worker claimed it, by work pool", labelNames: ["pool"], buckets: WAIT_BUCKETS, registers: [registry] });
  const startDelay = new Histogram({ name: "baton_flow_run_start_delay_seconds", help: "From a flow run's creation to its first Running state, by work pool", labelNames: ["pool"], buckets: WAIT_BUCKETS, registers: [registry] });
  const requests = new Histogram({ name: "baton_api_request_duration_seconds", help: "API request durations by method, route pattern and status code", labelNames: ["method", "route", "status_code"], buckets: REQUEST_BUCKETS, registers: [registry] });

  const mine = database.db;
  const onClaimed = (message: unknown) => {
    const m = message as RunClaimed;
    if (m.db !== mine) return;
    claimWait.observe({ pool: m.pool }, Math.max(0, (m.claimedAt.getTime() - Date.parse(m.dueAt)) / 1000));
  };
  const onStarted = (message: unknown) => {
    const m = message as RunStarted;
    if (m.db !== mine) return;
    startDelay.observe({ pool: m.pool ?? "" }, Math.max(0, (Date.parse(m.startedAt) - Date.parse(m.created)) / 1000));
  };
  runClaimedChannel.subscribe(onClaimed);
  runStartedChannel.subscribe(onStarted);

  const refresh = async () => {
    const pool = database.poolUse?.();
    if (pool) for (const [state, value] of Object.entries(pool)) dbPool.set({ state }, value);
    try {
      const read = await readDatabaseGauges(database, new Date());
      runs.reset();
      for (const r of read.runs) runs.set({ state: r.state, state_name: r.state_name, pool: r.pool }, r.count);
      late.reset();
      for (const r of read.late) late.set({ pool: r.pool }, r.count);
      depth.reset();
      for (const q of read.queues) depth.set({ pool: q.pool, queue: q.queue }, q.depth);
      lag.set(read.schedulerLagSeconds);
    } catch {
      scrapeErrors.inc();
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    observeRequest: (method, route, status, seconds) => requests.observe({ method, route, status_code: String(status) }, seconds),
    async render() {
      await refresh();
      return registry.metrics();
    },
    close() {
      runClaimedChannel.unsubscribe(onClaimed);
      runStartedChannel.unsubscribe(onStarted);
    },
  };
}
