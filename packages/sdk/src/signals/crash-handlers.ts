import { constants } from "node:os";
import type { SerializedError, State, StateCreate } from "@baton/core";
import { LOG_LEVELS, isTerminal } from "@baton/core/runtime";
import type { FlowRunFrame } from "../context/run-context.js";
import { serializeFailure } from "../errors/error-stack.js";
import { emit } from "../logging/run-logger.js";
import { flushAllReporters, hasPendingReports } from "../reporter/index.js";
import { hookFor, hooksBudgetMs, hooksInFlight, runHooks } from "../hooks/hooks.js";

/**
 * While a flow run runs in this process, a signal or an uncaught error must not lose what it
 * logged: the reporter is flushed, running task runs and the flow run are marked CRASHED with
 * the reason, and only then does the process exit (128 + signal number, as a shell expects).
 * Handlers are installed only while runs are active, so importing the SDK changes nothing.
 * SIGKILL cannot be caught: the server's heartbeat timeout marks those runs Crashed.
 * The flow's onCrashed (or onCancellation, for a run its worker ended because it was cancelled)
 * hooks run here, in this process, after the state is recorded and before it exits.
 */
const active = new Set<FlowRunFrame>();
const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;
let installed = false;
let crashing = false;

const onSignal = (signal: NodeJS.Signals) => void crash(`received ${signal}`, 128 + (constants.signals[signal] ?? 0));
/**
 * Node's default for an uncaught error is to print it and exit 1; we do the same after saving
 * the run. If the program has its own listener it has chosen to survive such errors, and the
 * run goes on.
 */
const uncaught = (event: "uncaughtException" | "unhandledRejection") => (error: unknown) => {
  if (process.listenerCount(event) > 1) return;
  // Output to a reader that is gone (a worker killed): reporting it would write to the same
  // closed pipe and fail again, forever. The run itself is fine; its worker's death is handled elsewhere.
  if ((error as NodeJS.ErrnoException | null)?.code === "EPIPE") return;
  process.stderr.write(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
  void crash(`the process hit an uncaught error outside flow code: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, 1, error);
};
const onUncaughtException = uncaught("uncaughtException");
const onUnhandledRejection = uncaught("unhandledRejection");

export function trackRun(frame: FlowRunFrame): void {
  active.add(frame);
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("uncaughtException", onUncaughtException);
  process.on("unhandledRejection", onUnhandledRejection);
}

export function untrackRun(frame: FlowRunFrame): void {
  active.delete(frame);
  if (active.size > 0 || !installed || crashing) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off("uncaughtException", onUncaughtException);
  process.off("unhandledRejection", onUnhandledRejection);
}

async function crash(reason: string, exitCode: number, error?: unknown): Promise<void> {
  if (crashing) return; // a second signal while cleaning up: the timer below still ends the process
  crashing = true;
  const runs = [...active].reverse(); // subflows (started last) first
  // If the server cannot be reached the process still ends, a little later: after the hooks' time too.
  const hooksMs = runs.reduce((sum, frame) => sum + (frame.hooks ? Math.max(hooksBudgetMs(frame.hooks, "onCrashed"), hooksBudgetMs(frame.hooks, "onCancellation")) : 0), 0);
  setTimeout(() => process.exit(exitCode), 10_000 + hooksMs);
  const message = `Flow run crashed: ${reason}`;
  const data = error !== undefined ? { data: { error: serializeFailure(error) } } : {};
  try {
    for (const frame of runs) {
      emit(frame, LOG_LEVELS.critical, message, "baton.flow_runs");
      const timestamp = new Date().toISOString();
      for (const [id] of frame.runningTaskRuns) {
        const state: StateCreate = { type: "CRASHED", message: `Task run crashed: ${reason}`, timestamp, ...data };
        frame.reporter.addState(id, state);
      }
    }
    await flushAllReporters();
    for (const frame of runs) {
      const ended = await recordEnd(frame, message, data);
      // The state first, then its hooks: nothing a hook does changes how the run ended.
      const hook = ended ? hookFor(ended) : undefined;
      if (ended && frame.hooks && (hook === "onCrashed" || hook === "onCancellation")) await runHooks(frame, frame.hooks, hook, ended);
    }
    // Hooks the engine started before the signal (a run that had just ended) finish too.
    await hooksInFlight();
  } finally {
    process.exit(exitCode);
  }
}

/**
 * How a run whose process is going down ended: Cancelled when someone cancelled it (its worker
 * ends the process of a Cancelling run with SIGTERM), else Crashed with the reason.
 */
async function recordEnd(frame: FlowRunFrame, message: string, data: { data?: { error: SerializedError } }): Promise<State | undefined> {
  try {
    const current = await frame.client.readFlowRun(frame.id);
    // Ended already (the engine recorded it and runs its hooks, awaited below): nothing to add.
    if (isTerminal(current.state_type)) return undefined;
    const proposal: StateCreate = current.state_type === "CANCELLING" ? { type: "CANCELLED", message: "Cancelled: the process was ended after the run was cancelled" } : { type: "CRASHED", message, ...data };
    return (await frame.client.setFlowRunState(frame.id, proposal)).state;
  } catch (e) {
    process.stderr.write(`baton: could not mark flow run ${frame.id} Crashed: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

/** A script that ends normally still sends what is queued: beforeExit fires when the loop is empty. */
process.on("beforeExit", () => {
  if (hasPendingReports()) void flushAllReporters();
});
