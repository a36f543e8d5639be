import type { State, StateCreate } from "@baton/core";
import { LOG_LEVELS, STATE_NAMES, TaskTimeoutError, defaultStateName, uuidv7 } from "@baton/core/runtime";
import { acquireSlots, type HeldSlots } from "../concurrency/slots.js";
import { coreSchemas } from "../core-schemas.js";
import { runHooks } from "../hooks/hooks.js";
import { currentFrame, runStorage, type FlowRunFrame, type TaskRunFrame } from "../context/run-context.js";
import { RunStoppedError } from "../errors/index.js";
import { emit } from "../logging/run-logger.js";
import { capturePrints } from "../logging/log-prints.js";
import type { TaskDefinition } from "../definition/task-options.js";
import { recordedResult } from "./recorded-result.js";
import { retryDelaySeconds, sleep, sleepUntil } from "../timing/retry.js";
import { isoNow } from "./clock.js";
import { describeError } from "../errors/describe.js";
import { serializeFailure, stackOf } from "../errors/error-stack.js";
import { taskInputsOf, trackResult } from "./task-inputs.js";
import { withTimeout } from "./timeout.js";
import { lookupStoredResult, storeResult, type ResultKeys } from "./task-results.js";
import { traceState } from "../tracing/index.js";

const ENGINE = "baton.task_runs";

/** Calls the function and turns a synchronous throw into a rejection, so both kinds of task fail the same way. */
function invoke<A extends unknown[], R>(fn: (...args: A) => R, args: A): Promise<Awaited<R>> {
  try {
    return Promise.resolve(fn(...args)) as Promise<Awaited<R>>;
  } catch (error) {
    return Promise.reject(error);
  }
}

function attempt<A extends unknown[], R>(def: TaskDefinition<A, R>, args: A, frame: TaskRunFrame | undefined, label: string): Promise<Awaited<R>> {
  const seconds = def.options.timeoutSeconds;
  // The common case (no timeout) pays for no timer and no controller.
  if (seconds === undefined) return frame ? runStorage.run(frame, invoke, def.fn, args) : invoke(def.fn, args);
  const controller = new AbortController();
  if (frame) frame.signal = AbortSignal.any([frame.flow.signal, controller.signal]);
  const work = frame ? runStorage.run(frame, invoke, def.fn, args) : invoke(def.fn, args);
  const timeoutError = () =>
    new TaskTimeoutError(`TaskTimeout: ${label} did not finish within ${seconds}s (its timeoutSeconds); raise timeoutSeconds or make the task faster`);
  return withTimeout(work, seconds, timeoutError, controller);
}

function shouldRetry(def: TaskDefinition<never, unknown>, tried: number, error: unknown): boolean {
  if (tried > (def.options.retries ?? 0)) return false;
  return def.options.retryCondition ? def.options.retryCondition(error) : true;
}

/**
 * Runs a task call. Inside a flow run it is a task run recorded through the batched reporter;
 * outside one it runs with its retries and timeout and records nothing, since there is no run
 * to attach it to.
 */
export function callTask<A extends unknown[], R>(def: TaskDefinition<A, R>, args: A): Promise<Awaited<R>> {
  const frame = currentFrame();
  if (!frame) return runUnrecorded(def, args);
  return runRecorded(def, args, frame.kind === "task" ? frame.flow : frame);
}

async function runUnrecorded<A extends unknown[], R>(def: TaskDefinition<A, R>, args: A): Promise<Awaited<R>> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt(def, args, undefined, `task '${def.options.name}'`);
    } catch (error) {
      if (!shouldRetry(def as TaskDefinition<never, unknown>, tried, error)) throw error;
      const delay = retryDelaySeconds(def.options.retryDelaySeconds, tried, def.options.retryJitterFactor);
      emit(undefined, LOG_LEVELS.warning, `Task '${def.options.name}' failed with ${describeError(error)}; retry ${tried} of ${def.options.retries} in ${delay.toFixed(2)}s`);
      await sleep(delay);
    }
  }
}

function nextIndex(counters: Map<string, number>, name: string): number {
  const n = counters.get(name) ?? 0;
  counters.set(name, n + 1);
  return n;
}

async function runRecorded<A extends unknown[], R>(def: TaskDefinition<A, R>, args: A, flow: FlowRunFrame): Promise<Awaited<R>> {
  if (flow.signal.aborted) throw new RunStoppedError(`RunStopped: task '${def.options.name}' was called after flow run '${flow.name}' stopped (${describeError(flow.signal.reason)})`, { cause: flow.signal.reason });
  const o = def.options;
  const index = nextIndex(flow.taskCounters, o.name);
  const id = uuidv7();
  const name = `${o.name}-${index}`;
  const frame: TaskRunFrame = { kind: "task", flow, id, name, taskName: o.name, logPrints: o.logPrints ?? flow.logPrints, attempt: 1, signal: flow.signal };
  if (frame.logPrints) capturePrints();
  const cacheKey = o.cacheKeyFn
    ? o.cacheKeyFn({ taskName: o.name, flowRunId: flow.id, flowRunName: flow.name, flowName: flow.flowName, parameters: flow.parameters }, args)
    : undefined;
  const created = isoNow();
  flow.reporter.addTaskRun({
    id,
    flow_run_id: flow.id,
    task_key: o.name,
    name,
    dynamic_key: String(index),
    tags: o.tags ?? [],
    max_retries: o.retries ?? 0,
    ...(cacheKey !== undefined ? { cache_key: cacheKey.slice(0, 500) } : {}),
    task_inputs: taskInputsOf(args, def.argNames),
    created,
  }, { type: "PENDING", timestamp: created });
  if (flow.log.minLevel <= LOG_LEVELS.debug) emit(frame, LOG_LEVELS.debug, `Created task run '${name}' for task '${o.name}'`, ENGINE);

  const keys: ResultKeys | undefined = cacheKey !== undefined || o.persistResult ? { def, args, flow, index, cacheKey } : undefined;
  if (keys) {
    const hit = await lookupStoredResult(keys, frame);
    if (hit) {
      const cached = report(frame, { type: "COMPLETED", name: STATE_NAMES.cached, ...hit.details, data: { result: recordedResult(hit.value) } });
      emit(frame, LOG_LEVELS.info, `Finished in state Cached(): ${hit.from}`, ENGINE);
      trackResult(hit.value, id);
      await runHooks(frame, o, "onCompletion", cached);
      return hit.value as Awaited<R>;
    }
  }

  // Tag limits (`baton concurrency-limit create-tag TAG N`) hold across flow runs: taken before the task runs.
  const tagSlots = await takeTagSlots(o.tags, frame);
  flow.runningTaskRuns.set(id, name);
  try {
    for (;;) {
      report(frame, frame.attempt === 1 ? { type: "RUNNING" } : { type: "RUNNING", name: STATE_NAMES.retrying });
      try {
        const value = await attempt(def, args, frame, `task run '${name}'`);
        if (flow.abandoned.size > 0 && flow.abandoned.has(id)) return value; // the run closed it already
        const details = keys ? await storeResult(keys, value, frame) : undefined;
        const completed = report(frame, { type: "COMPLETED", ...details, data: { result: recordedResult(value) } });
        emit(frame, LOG_LEVELS.info, "Finished in state Completed()", ENGINE);
        trackResult(value, id);
        flow.runningTaskRuns.delete(id);
        await runHooks(frame, o, "onCompletion", completed);
        return value;
      } catch (error) {
        if (flow.abandoned.size > 0 && flow.abandoned.has(id)) throw error;
        if (!flow.signal.aborted && shouldRetry(def as TaskDefinition<never, unknown>, frame.attempt, error)) {
          const delay = retryDelaySeconds(o.retryDelaySeconds, frame.attempt, o.retryJitterFactor);
          const message = `Retry ${frame.attempt} of ${o.retries} in ${delay.toFixed(2)}s after ${describeError(error)}`;
          const due = Date.now() + Math.ceil(delay * 1000);
          report(frame, { type: "SCHEDULED", name: STATE_NAMES.awaitingRetry, message, state_details: { scheduled_time: new Date(due).toISOString() } });
          emit(frame, LOG_LEVELS.warning, message, ENGINE);
          try {
            await sleepUntil(due, flow.signal);
          } catch (stopped) {
            report(frame, { type: "CANCELLED", message: `The flow run stopped while this task run waited to retry: ${describeError(stopped)}` });
            flow.runningTaskRuns.delete(id);
            throw stopped;
          }
          frame.attempt++;
          frame.signal = flow.signal;
          continue;
        }
        const timedOut = error instanceof TaskTimeoutError;
        const message = timedOut ? (error as Error).message : `Task run encountered an exception: ${describeError(error)}`;
        const failed = report(frame, { type: "FAILED", ...(timedOut ? { name: STATE_NAMES.timedOut } : {}), message, data: { error: serializeFailure(error) } });
        emit(frame, LOG_LEVELS.error, `Finished in state ${timedOut ? "TimedOut" : "Failed"}('${message}')\n${stackOf(error)}`, ENGINE);
        flow.runningTaskRuns.delete(id);
        await runHooks(frame, o, "onFailure", failed);
        throw error;
      }
    }
  } finally {
    flow.runningTaskRuns.delete(id);
    await tagSlots?.release();
  }
}

/** A slot of every tag limit the task's tags have (tags without a limit cost nothing but the question). */
function takeTagSlots(tags: string[] | undefined, frame: TaskRunFrame): Promise<HeldSlots> | undefined {
  const names = (tags ?? []).map((t) => `tag:${t}`).filter((n) => coreSchemas().ConcurrencyLimitNameSchema.safeParse(n).success);
  if (names.length === 0) return undefined;
  return acquireSlots(frame.flow.client, { names, ignore_missing: true, flow_run_id: frame.flow.id, task_run_id: frame.id }, { frame });
}

/** Queue a state of the task run; returns it as a State (what its hooks are given). */
function report(frame: TaskRunFrame, state: StateCreate): State {
  state.timestamp = isoNow();
  if (!(frame.flow.abandoned.size > 0 && frame.flow.abandoned.has(frame.id))) frame.flow.reporter.addState(frame.id, state);
  traceState(frame, state);
  return { id: "", type: state.type, name: state.name ?? defaultStateName(state.type), message: state.message ?? null, timestamp: state.timestamp, state_details: state.state_details ?? {}, data: state.data ?? null };
}
