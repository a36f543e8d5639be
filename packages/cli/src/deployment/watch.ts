import type { FlowRun } from "@baton/core";
import type { BatonClient } from "baton";
import { logPrinter, streamLogs } from "../flow-run/logs.js";
import { colorState } from "../output/format.js";
import type { Output } from "../output/io.js";

/** How long a run may wait for a worker before watch says how to find out why. */
const HINT_AFTER_MS = 15_000;
const RECENT_LINES = 20;

/**
 * Follow a run to its end, printing its log lines as they arrive and then its final state.
 * A run nobody picks up gets one hint, since watching it would otherwise look like a hang.
 */
export async function watchFlowRun(client: BatonClient, out: Output, flowRunId: string): Promise<FlowRun> {
  const hint = setTimeout(() => {
    void client.readFlowRun(flowRunId).then(
      (run) => {
        if (run.state_type === "SCHEDULED" || run.state_type === "PENDING") {
          out.note(`The run is still ${run.state_name}; see why with: baton flow-run why ${flowRunId}`);
        }
      },
      () => undefined,
    );
  }, HINT_AFTER_MS);
  const print = logPrinter(client, out);
  // The last lines, to know whether the run's final message was printed already (a failure logs its error).
  const recent: string[] = [];
  try {
    await streamLogs(client, flowRunId, {
      follow: true,
      pollMs: 250,
      onLog: (log) => {
        recent.push(log.message);
        if (recent.length > RECENT_LINES) recent.shift();
        return print(log);
      },
    });
  } finally {
    clearTimeout(hint);
  }
  const run = await client.readFlowRun(flowRunId);
  const message = run.state.message && !recent.some((line) => line.includes(run.state.message!)) ? `: ${run.state.message}` : "";
  out.line(`Final state: ${colorState(run.state_type, run.state_name, out.colors)}${message}`);
  if (run.state_type === "COMPLETED") out.line(`Result: ${JSON.stringify(run.state.data?.result ?? null, null, 2)}`);
  else out.note(`See the error and the task runs with: baton flow-run inspect ${flowRunId}`);
  return run;
}
