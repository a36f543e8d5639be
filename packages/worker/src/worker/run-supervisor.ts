import type { ClaimedRun } from "@baton/core";
import { ApiError, isTerminal } from "@baton/core/runtime";
import type { BatonClient } from "baton";
import type { AdoptedRun, Infrastructure, LaunchContext, LaunchedRun, RunExit } from "../infrastructure.js";
import type { WorkerEvent } from "./events.js";
import { crashRetriesOf } from "../job-configuration/crash-retries.js";
import { crashOrRetry } from "./crash-or-retry.js";
import { keepLease } from "./lease-keeper.js";
import type { WorkerMetrics } from "../metrics/worker-metrics.js";

/** One run this worker launched, while it runs. */
export interface SupervisedRun {
  id: string;
  name: string;
  launched: LaunchedRun | undefined;
  /** Set once the worker ends it because someone cancelled it. */
  cancelRequested: boolean;
  terminating: Promise<RunExit> | undefined;
}

const describeExit = (exit: RunExit) => (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`);

export interface SuperviseDeps {
  client: BatonClient;
  infrastructure: Infrastructure;
  context: LaunchContext;
  running: Map<string, SupervisedRun>;
  emit(event: WorkerEvent): void;
  /** The claim's lease: renewed while the run is still Pending. */
  leaseSeconds: number;
  onError(error: unknown): void;
  /** Counts launches and failed launches (the worker's metrics). */
  metrics?: Pick<WorkerMetrics, "launched" | "launchFailed">;
}

/**
 * Launches a claimed run and sees it to an end state: a process that dies without reporting one
 * leaves the run Crashed with its exit and last output (or back in Scheduled when its container or
 * pod was lost and crash_retries allows), and a run the worker ended because it was cancelled is
 * recorded Cancelled.
 */
export function superviseRun(claimed: ClaimedRun, deps: SuperviseDeps): Promise<void> {
  const run = { id: claimed.flow_run.id, name: claimed.flow_run.name, crashRetries: crashRetriesOf(claimed.job_configuration), claimId: claimed.claim_id };
  return supervise(run, () => deps.infrastructure.launch(claimed, deps.context), deps, "launched");
}

/** A run this worker found still running on its infrastructure after a restart (see adoption.ts), followed to its end as if just launched. */
export function superviseAdopted(adopted: AdoptedRun, deps: SuperviseDeps): Promise<void> {
  return supervise(adopted, async () => adopted.launched, deps, "reattached");
}

/** An answer that the run has been claimed again (retried, requeued) since this worker's claim: it is another attempt's now. */
const isStaleClaim = (error: unknown) => error instanceof ApiError && error.code === "StaleClaim";

async function supervise(run: { id: string; name: string; crashRetries: number; claimId?: string | undefined }, start: () => Promise<LaunchedRun>, deps: SuperviseDeps, how: "launched" | "reattached"): Promise<void> {
  const { client, emit } = deps;
  const entry: SupervisedRun = { id: run.id, name: run.name, launched: undefined, cancelRequested: false, terminating: undefined };
  deps.running.set(run.id, entry);
  const lease = keepLease(client, run.id, deps.leaseSeconds, deps.onError);
  try {
    let exit: RunExit;
    try {
      entry.launched = await start();
      if (how === "launched") deps.metrics?.launched();
      emit({ type: how, flowRunId: run.id, flowRunName: run.name });
      exit = await entry.launched.exited;
      lease.stop();
    } catch (error) {
      lease.stop();
      deps.metrics?.launchFailed();
      const message = `Flow run could not be started on ${deps.infrastructure.type} infrastructure: ${error instanceof Error ? error.message : String(error)}`;
      await client.setFlowRunState(run.id, { type: "CRASHED", message }, true, run.claimId);
      emit({ type: "crashed", flowRunId: run.id, flowRunName: run.name, message });
      return;
    }
    emit({ type: "exited", flowRunId: run.id, flowRunName: run.name, exit });
    // The run's own last report came back final (a reused executor tells): nothing left to record.
    if (!entry.cancelRequested && exit.finalState !== undefined && isTerminal(exit.finalState)) return;
    const current = await client.readFlowRun(run.id);
    if (entry.cancelRequested || current.state_type === "CANCELLING") {
      // Its process may have recorded Crashed on the way down (it got SIGTERM); the cause was the cancel.
      if (current.state_type !== "CANCELLED") await client.setFlowRunState(run.id, { type: "CANCELLED", message: "Cancelled: the worker ended its process" }, true, run.claimId);
      emit({ type: "cancelled", flowRunId: run.id, flowRunName: run.name });
      return;
    }
    if (isTerminal(current.state_type)) return;
    if (current.state_type === "PAUSED" && current.state.state_details.pause_reschedule) {
      emit({ type: "suspended", flowRunId: run.id, flowRunName: run.name });
      return;
    }
    // Back in the queue already (the infrastructure rescheduled it for a retry, or its lease
    // ended): it is someone else's run now, not a crash of this one.
    if (current.state_type === "SCHEDULED") {
      emit({ type: "rescheduled", flowRunId: run.id, flowRunName: run.name, message: current.state.message ?? "" });
      return;
    }
    const tail = exit.tail.trim();
    const message = `${exit.reason ?? `Flow run process ${describeExit(exit)} without reporting a final state`}${tail ? `; last lines of output:\n${tail}` : ""}`;
    const outcome = await crashOrRetry(client, run.id, { message, lost: exit.lost === true, crashRetries: run.crashRetries, claimId: run.claimId });
    if (outcome === "rescheduled") {
      await entry.launched.afterRescheduled?.().catch(deps.onError);
      emit({ type: "rescheduled", flowRunId: run.id, flowRunName: run.name, message });
    } else if (outcome === "crashed") emit({ type: "crashed", flowRunId: run.id, flowRunName: run.name, message });
  } catch (error) {
    // Retried or requeued and claimed again since: the state this worker meant for its own
    // attempt was refused, and the run is left to the attempt that holds it now.
    if (!isStaleClaim(error)) throw error;
    emit({ type: "rescheduled", flowRunId: run.id, flowRunName: run.name, message: error instanceof Error ? error.message : String(error) });
  } finally {
    lease.stop();
    deps.running.delete(run.id);
  }
}

/** End a supervised run's process: SIGTERM (or the infrastructure's equivalent), then force after the grace period. */
export function terminateRun(entry: SupervisedRun, graceSeconds: number): Promise<RunExit> | undefined {
  if (!entry.launched) return undefined;
  entry.terminating ??= entry.launched.terminate(graceSeconds);
  return entry.terminating;
}
