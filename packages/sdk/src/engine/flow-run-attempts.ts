import type { OrchestrationResult, State } from "@baton/core";
import { FlowTimeoutError, LOG_LEVELS, STATE_NAMES } from "@baton/core/runtime";
import { runStorage, type FlowRunFrame } from "../context/run-context.js";
import { FlowRunCancelledError, FlowRunSuspended } from "../errors/index.js";
import type { FlowDefinition } from "../definition/flow-types.js";
import { emit } from "../logging/run-logger.js";
import { describeError } from "../errors/describe.js";
import { serializeFailure, stackOf } from "../errors/error-stack.js";
import type { FlowRunOutcome } from "./flow-run-outcome.js";
import { proposeFinalState, proposeRunning, waitForScheduledTime } from "./flow-run-states.js";
import { startHeartbeat } from "./heartbeat.js";
import { recordedResult } from "./recorded-result.js";
import { untilAborted, withTimeout } from "./timeout.js";
import { hookFor, runHooks } from "../hooks/hooks.js";
import { traceState } from "../tracing/index.js";

const ENGINE = "baton.flow_runs";

function invoke(fn: (parameters: never) => unknown, parameters: Record<string, unknown>): Promise<unknown> {
  try {
    return Promise.resolve(fn(parameters as never));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The last line of a run; sent at once so a caller that closes the client right after loses
 * nothing. Then the hook of the state the server recorded (onCompletion, onFailure,
 * onCancellation, onCrashed): after the state, so no hook can change it.
 */
async function finished(frame: FlowRunFrame, answer: OrchestrationResult, def: FlowDefinition): Promise<void> {
  const { state } = answer;
  if (answer.status !== "ACCEPT") emit(frame, LOG_LEVELS.warning, `The server recorded ${state.name} instead of the proposed state: ${answer.details.reason ?? "no reason given"}`, ENGINE);
  const level = state.type === "COMPLETED" ? LOG_LEVELS.info : LOG_LEVELS.error;
  emit(frame, level, `Finished in state ${state.name}(${state.message ? `'${state.message}'` : ""})`, ENGINE);
  await frame.reporter.flush();
  const hook = hookFor(state);
  if (hook && hook !== "onRunning") await runHooks(frame, def.options, hook, state);
}

/**
 * A cancelled or timed-out flow run cannot stop the JavaScript still running in its tasks; it
 * closes their task runs as Cancelled instead, and ignores whatever they report later.
 */
function abandonRunningTaskRuns(frame: FlowRunFrame, reason: unknown): void {
  const timestamp = new Date().toISOString();
  for (const [id] of frame.runningTaskRuns) {
    frame.abandoned.add(id);
    frame.reporter.addState(id, { type: "CANCELLED", message: `The flow run stopped while this task run was running: ${describeError(reason)}`, timestamp });
  }
  frame.runningTaskRuns.clear();
}

/**
 * The attempts of one flow run: RUNNING, the function under its timeout and cancellation,
 * then the final state. A FAILED proposal that the server turns into AwaitingRetry (the flow
 * has retries left) starts the next attempt once it is due, with the same flow run ID.
 */
export async function executeFlowRun(def: FlowDefinition, frame: FlowRunFrame, parameters: Record<string, unknown>): Promise<FlowRunOutcome> {
  const { client, reporter } = frame;
  const outcome = (state: State, extra: Partial<FlowRunOutcome> = {}): FlowRunOutcome => ({ flowRunId: frame.id, flowRunName: frame.name, state, ...extra });

  const outageMs = reporter.outageMs;
  let answer = await proposeRunning(client, frame.id, frame.attempt, outageMs, frame.source);
  traceState(frame, answer.state);
  if (answer.state.type !== "RUNNING") {
    emit(frame, LOG_LEVELS.warning, `The server did not let the run start: it is ${answer.state.name}${answer.details.reason ? ` (${answer.details.reason})` : ""}`, ENGINE);
    return outcome(answer.state);
  }
  let controller = new AbortController();
  const stopHeartbeat = startHeartbeat(client, frame.id, frame.heartbeatSeconds, () => {
    if (!controller.signal.aborted) controller.abort(new FlowRunCancelledError(`FlowRunCancelled: flow run '${frame.name}' was cancelled`));
  });
  // Heartbeating already: a slow hook does not make the run look dead.
  await runHooks(frame, def.options, "onRunning", answer.state);
  try {
    for (;;) {
      frame.signal = controller.signal;
      const timeout = def.options.timeoutSeconds;
      let result: unknown;
      let error: unknown;
      let ok = false;
      try {
        const work = runStorage.run(frame, invoke, def.fn, parameters);
        const timeoutError = () => new FlowTimeoutError(`FlowTimeout: flow run '${frame.name}' did not finish within ${timeout}s (its timeoutSeconds); raise timeoutSeconds or make the flow faster`);
        result = await untilAborted(withTimeout(work, timeout, timeoutError, controller), controller.signal);
        ok = true;
      } catch (caught) {
        error = caught;
      }
      if (frame.suspended) {
        // suspendFlowRun: the run stays Suspended (no final state, no hook); this process ends, and a worker runs it again once resumed.
        const suspended = error instanceof FlowRunSuspended ? error : new FlowRunSuspended(`FlowRunSuspended: flow run ${frame.name} is suspended; its process ends here`);
        abandonRunningTaskRuns(frame, suspended);
        await reporter.flush();
        return outcome(frame.suspended, { error: suspended });
      }
      if (controller.signal.aborted) abandonRunningTaskRuns(frame, controller.signal.reason);
      // Task runs and logs reach the server before the flow run's final state does.
      await reporter.flush();
      if (ok) {
        answer = await proposeFinalState(client, frame.id, { type: "COMPLETED", data: { result: recordedResult(result) } }, outageMs);
        await finished(frame, answer, def);
        return outcome(answer.state, answer.state.type === "COMPLETED" ? { result } : {});
      }
      if (error instanceof FlowRunCancelledError) {
        answer = await proposeFinalState(client, frame.id, { type: "CANCELLED", message: "Cancelled while running" }, outageMs);
        await finished(frame, answer, def);
        return outcome(answer.state, { error });
      }
      const timedOut = error instanceof FlowTimeoutError;
      const message = timedOut ? (error as Error).message : `Flow run encountered an exception: ${describeError(error)}`;
      emit(frame, LOG_LEVELS.error, `${message}\n${error instanceof Error && error.stack ? stackOf(error) : ""}`.trimEnd(), ENGINE);
      answer = await proposeFinalState(client, frame.id, {
        type: "FAILED",
        ...(timedOut ? { name: STATE_NAMES.timedOut } : {}),
        message,
        data: { error: serializeFailure(error) },
      }, outageMs);
      if (answer.status === "REJECT" && answer.state.type === "SCHEDULED") {
        traceState(frame, answer.state);
        const due = answer.state.state_details.scheduled_time;
        emit(frame, LOG_LEVELS.warning, `Retrying the flow run${due ? ` at ${due}` : ""} (${answer.state.name})`, ENGINE);
        await waitForScheduledTime(due);
        frame.attempt++;
        frame.taskCounters = new Map();
        controller = new AbortController();
        answer = await proposeRunning(client, frame.id, frame.attempt, outageMs, frame.source);
        traceState(frame, answer.state);
        if (answer.state.type !== "RUNNING") return outcome(answer.state, { error });
        await runHooks(frame, def.options, "onRunning", answer.state);
        continue;
      }
      await finished(frame, answer, def);
      return outcome(answer.state, { error });
    }
  } finally {
    stopHeartbeat();
  }
}
