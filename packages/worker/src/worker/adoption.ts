import type { BatonClient } from "baton";
import type { AdoptedRun, Infrastructure } from "../infrastructure.js";
import type { SupervisedRun } from "./run-supervisor.js";

/**
 * Runs left running on the infrastructure by a worker that went away (this one before a
 * restart, or another one now Offline) are followed again: once at start, then every `seconds`
 * (a worker that died a moment ago still shows Online for three of its heartbeats).
 */
export function startAdoption(deps: {
  infrastructure: Infrastructure;
  client: BatonClient;
  pool: string;
  workerName: string;
  running: Map<string, SupervisedRun>;
  seconds: number;
  supervise(adopted: AdoptedRun): Promise<void>;
  onError(error: unknown): void;
}): { stop(): void } {
  const adopt = deps.infrastructure.adopt?.bind(deps.infrastructure);
  if (!adopt) return { stop() {} };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    try {
      let online: Set<string> | undefined;
      const isWorkerGone = async (name: string) => {
        online ??= new Set((await deps.client.call("listWorkers", { params: { name: deps.pool } })).items.filter((w) => w.status === "ONLINE").map((w) => w.name));
        return !online.has(name);
      };
      const found = await adopt({ pool: deps.pool, workerName: deps.workerName, skip: new Set(deps.running.keys()), isWorkerGone, readRun: (id) => deps.client.readFlowRun(id) });
      for (const run of found) {
        if (stopped || deps.running.has(run.id)) continue;
        void deps.supervise(run).catch(deps.onError);
      }
    } catch (error) {
      deps.onError(new Error(`could not look for runs left running by a worker that went away: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (!stopped) {
      timer = setTimeout(() => void pass(), deps.seconds * 1000);
      timer.unref();
    }
  };
  void pass();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
