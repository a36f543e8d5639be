import type { BatonClient } from "baton";
import type { WorkerEvent } from "./events.js";
import { terminateRun, type SupervisedRun } from "./run-supervisor.js";

/**
 * Every few seconds, reads the state of each run this worker is running; a run someone
 * cancelled (Cancelling) has its process ended, which the supervisor then records Cancelled.
 */
export function watchCancellations(deps: {
  client: BatonClient;
  running: Map<string, SupervisedRun>;
  seconds: number;
  graceSeconds: number;
  emit(event: WorkerEvent): void;
}): { stop(): void } {
  let busy = false;
  const check = async () => {
    const entries = [...deps.running.values()].filter((e) => e.launched && !e.cancelRequested);
    await Promise.all(
      entries.map(async (entry) => {
        try {
          const run = await deps.client.readFlowRun(entry.id);
          if (run.state_type !== "CANCELLING" && run.state_type !== "CANCELLED") return;
          if (entry.cancelRequested) return;
          entry.cancelRequested = true;
          deps.emit({ type: "cancelling", flowRunId: entry.id, flowRunName: entry.name });
          void terminateRun(entry, deps.graceSeconds);
        } catch (error) {
          deps.emit({ type: "error", message: `could not read the state of flow run ${entry.id}: ${error instanceof Error ? error.message : String(error)}`, error });
        }
      }),
    );
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void check().finally(() => (busy = false));
  }, deps.seconds * 1000);
  return { stop: () => clearInterval(timer) };
}
