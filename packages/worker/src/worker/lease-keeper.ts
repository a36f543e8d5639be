import type { BatonClient } from "baton";

/**
 * While a claimed run is still Pending (its image is pulled, its repository cloned, its process
 * started), the worker heartbeats it every third of its lease: the server renews the lease, so a
 * slow start is not taken for a dead worker and handed to another one. Stops by itself once
 * the run has left Pending (the run's own heartbeat takes over), and when `stop` is called
 * (the process ended). A worker that dies stops beating, and the lease ends as it should.
 */
export function keepLease(client: BatonClient, flowRunId: string, leaseSeconds: number, onError: (error: unknown) => void): { stop(): void } {
  let stopped = false;
  const everyMs = Math.max(1000, (leaseSeconds * 1000) / 3);
  const beat = async () => {
    try {
      const { state_type } = await client.heartbeatFlowRun(flowRunId);
      if (state_type !== "PENDING") stopped = true;
    } catch (error) {
      // One missed beat leaves two more before the lease ends.
      if (!stopped) onError(error);
    }
    if (!stopped) schedule();
  };
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => void beat(), everyMs);
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
