import type { BatonClient } from "../client/index.js";

/**
 * Tells the server every `seconds` that this worker serves the pool (it shows Online, and runs
 * in the pool are not reported as waiting for a worker). The first beat is sent at once.
 */
export function startWorkerHeartbeat(
  client: BatonClient,
  pool: string,
  workerName: string,
  seconds: number,
  onError: (error: unknown) => void,
): { stop(): void; first: Promise<void>; /** When the server last accepted a beat (a health check reads it). */ lastAccepted(): Date | undefined } {
  let busy = false;
  let accepted: Date | undefined;
  const beat = async () => {
    if (busy) return;
    busy = true;
    try {
      await client.call("workerHeartbeat", { params: { name: pool }, body: { name: workerName, heartbeat_interval_seconds: seconds } });
      accepted = new Date();
    } catch (error) {
      onError(error);
    } finally {
      busy = false;
    }
  };
  const first = beat();
  const timer = setInterval(() => void beat(), seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), first, lastAccepted: () => accepted };
}
