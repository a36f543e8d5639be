import type { WorkPool } from "@baton/core";
import { ApiError, BatonError } from "@baton/core/runtime";
import { ClaimLoop, ensureWorkPool, getClient, loadSettings, startWorkerHeartbeat, type BatonClient } from "baton";
import type { LaunchContext } from "../infrastructure.js";
import { infrastructureFor } from "./infrastructures.js";
import { resolveWorkerOptions, type StartWorkerOptions } from "./options.js";
import { watchCancellations } from "./cancellation-watcher.js";
import type { WorkerEvent } from "./events.js";
import { withRunCredentials } from "./run-credentials.js";
import { startAdoption } from "./adoption.js";
import { EnvAllowList } from "../references/env-allow-list.js";
import { forgetWorkerCredentials } from "./forget-credentials.js";
import { withMaskedLaunch } from "./masked-launch.js";
import { uncountedMetrics, type RunCounters } from "../metrics/uncounted.js";
import type { WorkerMetricsListener } from "../metrics/listener.js";
import { superviseAdopted, superviseRun, terminateRun, type SupervisedRun } from "./run-supervisor.js";

export class WorkPoolNotFound extends BatonError {
  override readonly code = "WorkPoolNotFound";
  override readonly status = 404;
}

export class MetricsPortUnavailable extends BatonError {
  override readonly code = "MetricsPortUnavailable";
}

export { UnsupportedWorkPoolType } from "./infrastructures.js";

export type { StartWorkerOptions } from "./options.js";

export interface RunningWorker {
  name: string;
  pool: WorkPool;
  /** Runs being run right now. */
  readonly running: number;
  /** `http://host:port` serving /healthz and /metrics, when `metrics` asked for a port. */
  metricsUrl?: string;
  /**
   * Stop claiming and wait for the running runs to end. A second call ends them (SIGTERM, then
   * SIGKILL after the grace period); they are recorded Crashed.
   */
  stop(): Promise<void>;
}

/** The API URL runs are told to use: the one this worker talks to over HTTP. */
function workerApiUrl(client: BatonClient): string | undefined {
  const settings = loadSettings();
  const fromSettings = settings.get("BATON_API_URL");
  if (fromSettings) return fromSettings;
  const target = client.target;
  return /^https?:\/\//.test(target) ? target : undefined;
}

/**
 * A worker: heartbeats the pool, claims due runs (long-poll, never more than its free slots)
 * and runs each on the pool's infrastructure, watching for cancels and crashes.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const emit = (event: WorkerEvent) => options.onEvent?.(event);
  const settings = loadSettings();
  const allowedEnv = options.allowEnv ? new EnvAllowList(options.allowEnv) : EnvAllowList.parse(settings.get("BATON_WORKER_ALLOW_ENV"));
  const keyInProfile = settings.source("BATON_API_KEY").source === "profile";
  const client = options.client ?? (await getClient());
  // The client holds the key now: no copy stays where a run could read it (/proc/<pid>/environ).
  const forgotten = forgetWorkerCredentials();
  const resolved = resolveWorkerOptions(options);
  const { name, limit, graceSeconds, leaseSeconds } = resolved;
  let pool: WorkPool;
  try {
    const ensured = await ensureWorkPool(client, options.pool, options.type, `Created by worker ${name}`);
    pool = ensured.pool;
    if (ensured.created) emit({ type: "pool-created", pool: pool.name, poolType: pool.type });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new WorkPoolNotFound(`WorkPoolNotFound: there is no work pool "${options.pool}"; create it with baton work-pool create ${options.pool} --type process, or start the worker with a type`);
    }
    throw error;
  }
  const onError = (error: unknown) => emit({ type: "error", message: error instanceof Error ? error.message : String(error), error });
  if (forgotten.problem) onError(new Error(`${forgotten.problem}: a process run of this worker could read the worker's key there; see docs/security.md`));
  if (keyInProfile && pool.type === "process" && !options.infrastructure) {
    // A process run is this OS user too: the file is as readable to it as to the worker.
    onError(new Error(`the worker's key comes from profile "${settings.profileName}" in ${settings.home}, a file its process runs can read (they run as the same OS user); give the worker its key as BATON_API_KEY in its environment instead (see docs/security.md)`));
  }
  // Each launch asks for the run's own token: the worker's key never reaches a run (run-credentials.ts).
  const ownApiUrl = workerApiUrl(client);
  const own = options.infrastructure ?? await infrastructureFor(pool, { client, workerName: name, onError, hostAccess: options.hostAccess ?? {}, ...(options.spares !== undefined ? { spares: options.spares } : {}) });
  const infrastructure = withRunCredentials(withMaskedLaunch(own), { client, workerApiUrl: ownApiUrl });

  const context: LaunchContext = {
    workerName: name,
    apiUrl: options.apiUrl ?? ownApiUrl,
    // Filled per run with the run's token by withRunCredentials.
    credentials: {},
    // In-process workers only (no token to use); over HTTP each run resolves with its token.
    resolveSecret: async (secretName) => (await client.call("readSecretValue", { params: { name: secretName } })).value,
    resolveVariable: async (variableName) => (await client.call("readVariable", { params: { name: variableName } })).value,
    allowedEnv,
  };
  const running = new Map<string, SupervisedRun>();
  const heartbeat = startWorkerHeartbeat(client, pool.name, name, resolved.heartbeatSeconds, onError);
  await heartbeat.first;
  // Counted only when someone can read them (a metrics port): prom-client stays unloaded otherwise.
  let metrics: RunCounters = uncountedMetrics;
  // Before any claim: a port that cannot be had stops the start with nothing claimed.
  let listener: WorkerMetricsListener | undefined;
  if (options.metrics) {
    const counted = (await import("../metrics/worker-metrics.js")).createWorkerMetrics({ pool: pool.name, worker: name }, () => running.size);
    metrics = counted;
    try {
      listener = await (await import("../metrics/listener.js")).listenWorkerMetrics(counted, { lastAccepted: heartbeat.lastAccepted, heartbeatSeconds: resolved.heartbeatSeconds }, { host: options.metrics.host ?? "127.0.0.1", port: options.metrics.port });
    } catch (error) {
      heartbeat.stop();
      own.close?.();
      throw new MetricsPortUnavailable(`MetricsPortUnavailable: the worker cannot serve /healthz and /metrics on ${options.metrics.host ?? "127.0.0.1"}:${options.metrics.port}: ${(error as Error).message}; choose another --metrics-port`, { cause: error });
    }
  }
  const cancellations = watchCancellations({ client, running, seconds: resolved.cancelCheckSeconds, graceSeconds, emit });
  const supervising = { client, infrastructure, context, running, emit, leaseSeconds, onError, metrics };
  const loop = new ClaimLoop({
    client,
    pool: pool.name,
    workerName: name,
    ...(options.queues ? { queues: options.queues } : {}),
    limit,
    waitSeconds: resolved.pollWaitSeconds,
    leaseSeconds,
    // Runs get their own token (run-credentials.ts): with the claim, not a request each.
    runTokens: ownApiUrl !== undefined,
    onError,
    onClaim: (seconds, runs) => metrics.claimAnswered(seconds, runs),
    handle: (claimed) => superviseRun(claimed, supervising),
  });
  const adoptedRuns = new Set<Promise<void>>();
  // Containers a previous run of this worker (or a worker now gone) left running are followed again.
  const adoption = startAdoption({
    infrastructure: own,
    client,
    pool: pool.name,
    workerName: name,
    running,
    seconds: resolved.adoptionSeconds,
    supervise: (adopted) => {
      const followed = superviseAdopted(adopted, supervising).finally(() => adoptedRuns.delete(followed));
      adoptedRuns.add(followed);
      loop.hold(followed);
      return followed;
    },
    onError,
  });
  emit({ type: "started", pool: pool.name, workerName: name, limit, ...(listener ? { metricsUrl: listener.url } : {}) });

  let stopping: Promise<void> | undefined;
  return {
    name,
    pool,
    ...(listener ? { metricsUrl: listener.url } : {}),
    get running() {
      return running.size;
    },
    stop() {
      const terminate = stopping !== undefined;
      emit({ type: "stopping", running: running.size, terminate });
      if (terminate) {
        for (const entry of running.values()) void terminateRun(entry, graceSeconds);
        return stopping!;
      }
      loop.stopClaiming();
      adoption.stop();
      own.close?.();
      stopping = (async () => {
        await loop.done;
        await loop.drained();
        await Promise.allSettled([...adoptedRuns]);
        heartbeat.stop();
        cancellations.stop();
        await listener?.close();
        emit({ type: "stopped" });
      })();
      return stopping;
    },
  };
}
