import { hostname } from "node:os";
import type { WorkPoolType } from "@baton/core";
import type { BatonClient } from "baton";
import type { HostAccess } from "../host-access/host-access.js";
import type { Infrastructure } from "../infrastructure.js";
import type { WorkerEvent } from "./events.js";

export interface StartWorkerOptions {
  pool: string;
  /** Create the pool with this type's default template when it does not exist. */
  type?: WorkPoolType;
  /** Only these queues of the pool (all, by priority, when not given). */
  queues?: string[];
  /** Runs at the same time (default 10). */
  limit?: number;
  /** Spare executors a process pool's worker keeps ready (default 0 here; `baton worker start` keeps 1; see ProcessInfrastructure). */
  spares?: number;
  /** Default `<host>-<pid>`. */
  name?: string;
  /** The process's client (from the settings) when not given. */
  client?: BatonClient;
  /** Long-poll time of each claim (default 20 s). */
  pollWaitSeconds?: number;
  /** Default 10 s; the server shows the worker Offline after three missed beats. */
  heartbeatSeconds?: number;
  /** How often running runs are checked for a cancel (default 2 s). */
  cancelCheckSeconds?: number;
  /** Between SIGTERM and SIGKILL when a run is ended (default 30 s). */
  graceSeconds?: number;
  /** A claimed run not started after this long goes back to Scheduled (default 120 s). */
  leaseSeconds?: number;
  /** Where runs run: the pool type's infrastructure when not given. */
  infrastructure?: Infrastructure;
  /**
   * What runs may take from the host or node (privileged containers, host mounts, host namespaces,
   * the engine's socket): nothing unless allowed here (`baton worker start --allow-...`).
   */
  hostAccess?: HostAccess;
  /** BATON_API_URL given to runs; the worker's own when not given. */
  apiUrl?: string;
  /**
   * This host's environment variables that `{{ $NAME }}` in a job configuration may read
   * (`PREFIX_*` for a family); BATON_WORKER_ALLOW_ENV when not given; none by default. The
   * worker's key and the server's secret settings are never readable.
   */
  allowEnv?: string[];
  /** Serve `/healthz` and Prometheus `/metrics` on this port (host default 127.0.0.1; 0.0.0.0 in a pod); none when absent. */
  metrics?: { port: number; host?: string | undefined };
  onEvent?(event: WorkerEvent): void;
}

/** The defaults of a worker's options, in one place. */
export const WORKER_DEFAULTS = {
  limit: 10,
  pollWaitSeconds: 20,
  heartbeatSeconds: 10,
  cancelCheckSeconds: 2,
  graceSeconds: 30,
  leaseSeconds: 120,
  /** Orphaned runs are looked for no more often than this, and every three missed heartbeats. */
  minAdoptionSeconds: 10,
} as const;

/** A worker's options with every default filled in and its invariants checked. */
export interface WorkerSettings {
  name: string;
  limit: number;
  pollWaitSeconds: number;
  heartbeatSeconds: number;
  cancelCheckSeconds: number;
  graceSeconds: number;
  leaseSeconds: number;
  adoptionSeconds: number;
}

export function resolveWorkerOptions(options: StartWorkerOptions): WorkerSettings {
  const limit = options.limit ?? WORKER_DEFAULTS.limit;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`startWorker(): limit must be a whole number >= 1, got ${String(limit)}`);
  const heartbeatSeconds = options.heartbeatSeconds ?? WORKER_DEFAULTS.heartbeatSeconds;
  return {
    name: options.name ?? `${hostname()}-${process.pid}`,
    limit,
    pollWaitSeconds: options.pollWaitSeconds ?? WORKER_DEFAULTS.pollWaitSeconds,
    heartbeatSeconds,
    cancelCheckSeconds: options.cancelCheckSeconds ?? WORKER_DEFAULTS.cancelCheckSeconds,
    graceSeconds: options.graceSeconds ?? WORKER_DEFAULTS.graceSeconds,
    leaseSeconds: options.leaseSeconds ?? WORKER_DEFAULTS.leaseSeconds,
    adoptionSeconds: Math.max(WORKER_DEFAULTS.minAdoptionSeconds, 3 * heartbeatSeconds),
  };
}
