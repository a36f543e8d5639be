import type { WorkPool, WorkPoolType } from "@baton/core";
import { BatonError } from "@baton/core/runtime";
import type { BatonClient } from "baton";
import type { HostAccess } from "../host-access/host-access.js";
import type { Infrastructure } from "../infrastructure.js";

export class UnsupportedWorkPoolType extends BatonError {
  override readonly code = "UnsupportedWorkPoolType";
  override readonly status = 400;
}

/** What a worker gives an infrastructure when it makes one for its pool. */
export interface WorkerForInfrastructure {
  client: BatonClient;
  workerName: string;
  onError(error: unknown): void;
  hostAccess: HostAccess;
  /** Spare executors a process pool's worker keeps ready (see ProcessInfrastructure). */
  spares?: number;
}

/**
 * Where runs of each pool type run: one entry per type, so the worker loop knows no
 * infrastructure by name and a new type is one line here. Each is loaded when a worker of its
 * type starts: a process worker does not hold the Kubernetes models and Docker client in memory.
 */
export const INFRASTRUCTURES: Partial<Record<WorkPoolType, (pool: WorkPool, worker: WorkerForInfrastructure) => Promise<Infrastructure>>> = {
  process: async (_pool, worker) => new (await import("../process/process-infrastructure.js")).ProcessInfrastructure({ spares: worker.spares ?? 0 }),
  docker: async (_pool, worker) => new (await import("../docker/docker-infrastructure.js")).DockerInfrastructure({ hostAccess: worker.hostAccess }),
  kubernetes: async (pool, worker) => (await import("../kubernetes/kubernetes-infrastructure.js")).KubernetesInfrastructure.forWorker(pool, worker),
};

export async function infrastructureFor(pool: WorkPool, worker: WorkerForInfrastructure): Promise<Infrastructure> {
  const make = INFRASTRUCTURES[pool.type];
  if (make) return make(pool, worker);
  const known = Object.keys(INFRASTRUCTURES);
  throw new UnsupportedWorkPoolType(`UnsupportedWorkPoolType: work pool "${pool.name}" is a ${pool.type} pool; this worker runs ${known.slice(0, -1).join(", ")} and ${known.at(-1)} pools; use one of those`);
}
