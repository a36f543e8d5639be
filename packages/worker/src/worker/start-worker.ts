import { hostname } from "node:os";
import { ApiError, BatonError, type WorkPool, type WorkPoolType } from "@baton/core";
import { ClaimLoop, ensureWorkPool, getClient, loadSettings, startWorkerHeartbeat, type BatonClient } from "baton";
import type { Infrastructure, LaunchContext } from "../infrastructure.js";
import { DockerInfrastructure } from "../docker/docker-infrastructure.js";
import { KubernetesInfrastructure } from "../kubernetes/kubernetes-infrastructure.js";
import { ProcessInfrastructure } from "../process/process-infrastructure.js";
import { watchCancellations } from "./cancellation-watcher.js";
import type { WorkerEvent } from "./events.js";
import { withRunCredentials } from "./run-credentials.js";
import { startAdoption } from "./adoption.js";
import { superviseAdopted, superviseRun, terminateRun, type SupervisedRun } from "./run-supervisor.js";

export class WorkPoolNotFound extends BatonError {
  override readonly code = "WorkPoolNotFound";
  override readonly status = 404;
}

export class UnsupportedWorkPoolType extends BatonError {
  override readonly code = "UnsupportedWorkPoolType";
  override readonly status = 400;
}

export interface StartWorkerOptions {
  pool: string;
  /** Create the pool with this type's default template when it does not exist. */
  type?: WorkPoolType;
  /** Only these queues of the pool (all, by priority, when not given). */
  queues?: string[];
  /** Runs at the same time (default 10). */
  limit?: number;
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
  /** BATON_API_URL given to runs; the worker's own when not given. */
  apiUrl?: string;
  onEvent?(event: WorkerEvent): void;
}

export interface RunningWorker {
  name: string;
  pool: WorkPool;
  /** Runs being run right now. */
  readonly running: number;
  /**
   * Stop claiming and wait for the running runs to end. A second call ends them (SIGTERM, then
   * SIGKILL after the grace period); they are recorded Crashed.
   */
  stop(): Promise<void>;
}

function infrastructureFor(pool: WorkPool, worker: { client: BatonClient; workerName: string; onError(error: unknown): void }): Infrastructure {
  if (pool.type === "process") return new ProcessInfrastructure();
  if (pool.type === "kubernetes") return KubernetesInfrastructure.forWorker(pool, worker);
  if (pool.type === "docker") return new DockerInfrastructure();
  throw new UnsupportedWorkPoolType(`UnsupportedWorkPoolType: work pool "${pool.name}" is a ${pool.type} pool; this worker runs process, docker and kubernetes pools; use one of those`);
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
  const client = options.client ?? (await getClient());
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`startWorker(): limit must be a whole number >= 1, got ${String(limit)}`);
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
  // Each launch asks for the run's own token: the worker's key never reaches a run (run-credentials.ts).
  const ownApiUrl = workerApiUrl(client);
  const own = options.infrastructure ?? infrastructureFor(pool, { client, workerName: name, onError });
  const infrastructure = withRunCredentials(own, { client, workerApiUrl: ownApiUrl });

  const context: LaunchContext = {
    workerName: name,
    apiUrl: options.apiUrl ?? ownApiUrl,
    // Filled per run with the run's token by withRunCredentials.
    credentials: {},
    // In-process workers only (no token to use); over HTTP each run resolves with its token.
    resolveSecret: async (secretName) => (await client.call("readSecretValue", { params: { name: secretName } })).value,
    resolveVariable: async (variableName) => (await client.call("readVariable", { params: { name: variableName } })).value,
  };
  const running = new Map<string, SupervisedRun>();
  const graceSeconds = options.graceSeconds ?? 30;
  const heartbeat = startWorkerHeartbeat(client, pool.name, name, options.heartbeatSeconds ?? 10, onError);
  await heartbeat.first;
  const cancellations = watchCancellations({ client, running, seconds: options.cancelCheckSeconds ?? 2, graceSeconds, emit });
  const leaseSeconds = options.leaseSeconds ?? 120;
  const supervising = { client, infrastructure, context, running, emit, leaseSeconds, onError };
  const loop = new ClaimLoop({
    client,
    pool: pool.name,
    workerName: name,
    ...(options.queues ? { queues: options.queues } : {}),
    limit,
    waitSeconds: options.pollWaitSeconds ?? 20,
    leaseSeconds,
    onError,
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
    seconds: Math.max(10, 3 * (options.heartbeatSeconds ?? 10)),
    supervise: (adopted) => {
      const followed = superviseAdopted(adopted, supervising).finally(() => adoptedRuns.delete(followed));
      adoptedRuns.add(followed);
      loop.hold(followed);
      return followed;
    },
    onError,
  });
  emit({ type: "started", pool: pool.name, workerName: name, limit });

  let stopping: Promise<void> | undefined;
  return {
    name,
    pool,
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
      stopping = (async () => {
        await loop.done;
        await loop.drained();
        await Promise.allSettled([...adoptedRuns]);
        heartbeat.stop();
        cancellations.stop();
        emit({ type: "stopped" });
      })();
      return stopping;
    },
  };
}
