import { BatonError, type WorkPool, type WorkPoolType } from "@baton/core";
import type { BatonClient } from "baton";
import { DockerInfrastructure } from "../docker/docker-infrastructure.js";
import type { HostAccess } from "../host-access/host-access.js";
import type { Infrastructure } from "../infrastructure.js";
import { KubernetesInfrastructure } from "../kubernetes/kubernetes-infrastructure.js";
import { ProcessInfrastructure } from "../process/process-infrastructure.js";

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
 * infrastructure by name and a new type is one line here.
 */
export const INFRASTRUCTURES: Partial<Record<WorkPoolType, (pool: WorkPool, worker: WorkerForInfrastructure) => Infrastructure>> = {
  process: (_pool, worker) => new ProcessInfrastructure({ spares: worker.spares ?? 0 }),
  docker: (_pool, worker) => new DockerInfrastructure({ hostAccess: worker.hostAccess }),
  kubernetes: (pool, worker) => KubernetesInfrastructure.forWorker(pool, worker),
};

export function infrastructureFor(pool: WorkPool, worker: WorkerForInfrastructure): Infrastructure {
  const make = INFRASTRUCTURES[pool.type];
  if (make) return make(pool, worker);
  const known = Object.keys(INFRASTRUCTURES);
  throw new UnsupportedWorkPoolType(`UnsupportedWorkPoolType: work pool "${pool.name}" is a ${pool.type} pool; this worker runs ${known.slice(0, -1).join(", ")} and ${known.at(-1)} pools; use one of those`);
}
