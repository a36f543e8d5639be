import { renewRunTokenIfDue, type BatonClient } from "../client/index.js";

/**
 * Tells the server every `seconds` that the flow run is alive (a RUNNING run that goes quiet
 * is marked Crashed by the server), and hears back whether someone asked to cancel it.
 * It also renews the run's token past half its life (renewRunTokenIfDue), so a run that outlives
 * its token keeps its API access for as long as it is alive.
 * The timer is unref'd: a heartbeat never keeps a process alive by itself.
 */
export function startHeartbeat(client: BatonClient, flowRunId: string, seconds: number, onCancel: () => void): () => void {
  let busy = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    client
      .heartbeatFlowRun(flowRunId)
      .then((answer) => {
        if (!stopped && (answer.state_type === "CANCELLING" || answer.state_type === "CANCELLED")) onCancel();
      })
      .catch((error: unknown) => {
        // A missed heartbeat is not fatal: the next one may get through before the server's timeout.
        if (!stopped) process.stderr.write(`baton: heartbeat of flow run ${flowRunId} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      })
      .then(() => (stopped ? false : renewRunTokenIfDue(client)))
      .catch((error: unknown) => {
        // The current token still works until it expires: the next heartbeat tries again.
        if (!stopped) process.stderr.write(`baton: renewing the run token of flow run ${flowRunId} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      })
      .finally(() => {
        busy = false;
      });
  }, seconds * 1000);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
