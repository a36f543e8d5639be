/**
 * A reused executor (a process pool's `reuse_process`): one long-lived Node process per
 * deployment version that runs several of its flow runs at a time, like `flow.serve()`.
 *
 * Shared between its runs: module state (the deployment's code is loaded once), memory, the
 * process environment (the job configuration's env, without any run's token or identity), the
 * working folder. Not shared: each run's client and credentials (its own run token, never in
 * process.env), its run context and logger, its parameters. See docs/workers.md.
 */
import { createClientFromSettings, executeFlowRun, loadSettings } from "baton";
import { ignoreClosedOutput, logMasker, maskProcessOutput, prepareExecution } from "baton/execute";
import type { StateType } from "@baton/core";
import type { FromExecutor, ToExecutor } from "./reuse-protocol.js";

if (!process.send) {
  process.stderr.write("reuse executor: started without an IPC channel (a worker starts it)\n");
  process.exit(2);
}
// Loaded before the first run arrives, as a spare does.
await prepareExecution();
ignoreClosedOutput();
maskProcessOutput(logMasker);

const codeCache = new Map();
const running = new Map<string, { done: Promise<void>; credentials: Record<string, string> }>();
let closing = false;

const send = (message: FromExecutor) => {
  if (process.connected) process.send!(message);
};

process.on("message", (message: ToExecutor) => {
  if (message.type === "run" && !closing) running.set(message.flowRunId, { done: run(message, message.credentials), credentials: message.credentials });
  if (message.type === "cancel") void cancel(message.flowRunId);
});
// The worker stopped or retired this executor: finish the runs in progress, then exit.
process.on("disconnect", () => {
  closing = true;
  void Promise.allSettled([...running.values()].map((r) => r.done)).then(() => process.exit(0));
});

async function clientFor(credentials: Record<string, string>) {
  return createClientFromSettings(loadSettings({ ...process.env, ...credentials }));
}

async function run({ flowRunId, deployment, flowRun }: Extract<ToExecutor, { type: "run" }>, credentials: Record<string, string>): Promise<void> {
  let code = 1;
  let message: string | undefined;
  let stateType: StateType | undefined;
  try {
    const client = await clientFor(credentials);
    const result = await executeFlowRun({ flowRunId, client, sharedProcess: { codeCache }, deployment, ...(flowRun ? { flowRun } : {}) });
    // Suspended (suspendFlowRun) is no failure: the run goes on in another process once resumed.
    code = result.state.type === "COMPLETED" || result.state.state_details.pause_reschedule ? 0 : 1;
    message = `Flow run ${flowRunId} ended ${result.state.name}`;
    stateType = result.state.type;
  } catch (error) {
    message = `Flow run ${flowRunId} could not run: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message}\n`);
  } finally {
    running.delete(flowRunId);
  }
  send({ type: "done", flowRunId, code, ...(message ? { message } : {}), ...(stateType ? { state_type: stateType } : {}) });
}

/**
 * A run's code cannot be stopped alone in a shared process: the run is recorded Cancelled, and
 * what its code still does is refused by the server (docs/workers.md).
 */
async function cancel(flowRunId: string): Promise<void> {
  const entry = running.get(flowRunId);
  if (!entry) return;
  const client = await clientFor(entry.credentials);
  await client.setFlowRunState(flowRunId, { type: "CANCELLED", message: "Cancelled while running in a reused process" }, true).catch(() => undefined);
}
