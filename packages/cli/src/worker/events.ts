import type { WorkerEvent } from "@baton/worker";
import { formatTime } from "../output/format.js";
import type { Output } from "../output/io.js";

/** One line per thing a worker does, timestamped, on stderr: stdout stays free for the runs' own output. */
export function printWorkerEvent(out: Output, event: WorkerEvent): void {
  const c = out.errColors;
  const line = (text: string) => out.error(`${c.dim(formatTime(new Date().toISOString(), { milliseconds: true }))} ${text}`);
  switch (event.type) {
    case "pool-created":
      return line(`Created work pool '${event.pool}' (${event.poolType}, default base job template): it did not exist`);
    case "started":
      return line(`Worker '${event.workerName}' started on pool '${event.pool}', up to ${event.limit} runs at once`);
    case "launched":
      return line(`Flow run ${event.flowRunName} (${event.flowRunId}) launched`);
    case "reattached":
      return line(`Flow run ${event.flowRunName} (${event.flowRunId}) found still running; following it again`);
    case "exited": {
      const how = event.exit.signal ? `signal ${event.exit.signal}` : `exit code ${event.exit.exitCode}`;
      return line(`Flow run ${event.flowRunName} (${event.flowRunId}) process ended (${how})`);
    }
    case "crashed":
      return line(c.red(`Flow run ${event.flowRunName} (${event.flowRunId}) crashed: ${event.message}`));
    case "rescheduled":
      return line(c.yellow(`Flow run ${event.flowRunName} (${event.flowRunId}) goes back to Scheduled for another attempt: ${event.message}`));
    case "cancelling":
      return line(c.yellow(`Flow run ${event.flowRunName} (${event.flowRunId}) is being cancelled; stopping its process`));
    case "cancelled":
      return line(c.yellow(`Flow run ${event.flowRunName} (${event.flowRunId}) cancelled`));
    case "suspended":
      return line(`Flow run ${event.flowRunName} (${event.flowRunId}) suspended; it runs again once resumed (baton flow-run resume ${event.flowRunId})`);
    case "error":
      return line(c.yellow(`Warning: ${event.message}`));
    case "stopping":
      return line(
        event.terminate
          ? `Stopping now: ending ${event.running} running run(s)`
          : `Stopping: no new runs${event.running ? `; waiting for ${event.running} running run(s) (Ctrl-C again ends them)` : ""}`,
      );
    case "stopped":
      return line("Worker stopped");
  }
}
