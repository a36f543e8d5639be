import type { PulledSource, State } from "@baton/core";
import { AsyncLocalStorage } from "node:async_hooks";
import type { BatonClient } from "../client/index.js";
import type { Reporter } from "../reporter/index.js";
import type { LogConfig } from "../settings/log-config.js";
import { MissingRunContextError } from "../errors/index.js";
import type { FlowHookOptions } from "../definition/hook-types.js";
import type { ResultSerializer, ResultSettings, ResultStorageSpec } from "../definition/result-types.js";

/** What the engine keeps about a flow run while it runs; tasks read it through the context. */
export interface FlowRunFrame {
  readonly kind: "flow";
  readonly id: string;
  readonly name: string;
  readonly flowName: string;
  readonly parameters: Record<string, unknown>;
  readonly client: BatonClient;
  readonly reporter: Reporter;
  readonly log: LogConfig;
  /** BATON_RESULTS_* as read when the top-level run started; subflows share them. */
  readonly resultSettings: ResultSettings;
  /** The flow's resultStorage (else its parent's): what its tasks use unless they name their own. */
  readonly resultStorage?: ResultStorageSpec | undefined;
  readonly resultSerializer?: ResultSerializer | undefined;
  /** Whether console output in this run (outside tasks that say otherwise) goes to its logs: the flow's logPrints, else its parent's, else the setting. */
  readonly logPrints: boolean;
  /** How often the run heartbeats; subflows inherit it. */
  readonly heartbeatSeconds: number;
  /** 1 on the first attempt, 2 on the first retry of the flow run... */
  attempt: number;
  /** The commit a deployment run pulled, recorded on each Running state. */
  readonly source?: PulledSource;
  /** Aborted when the run is cancelled, times out or crashes. */
  signal: AbortSignal;
  /** Calls per task name in this attempt: the N of `task-N`. Reset on each attempt so a retried run finds its persisted results. */
  taskCounters: Map<string, number>;
  /** Task runs started and not finished, for marking them CRASHED if the process dies. */
  runningTaskRuns: Map<string, string>;
  /** Task runs closed by the engine when the flow run stopped under them; what they do later is not reported. */
  abandoned: Set<string>;
  /** The flow's state hooks (the crash handler runs onCrashed and onCancellation from here). */
  readonly hooks?: FlowHookOptions;
  /** Set by suspendFlowRun once the run is Suspended: the engine ends this process without a final state. */
  suspended?: State;
  /** suspendFlowRun calls so far in this process: the N of the default key `suspend-N`. */
  suspendCalls?: number;
}

export interface TaskRunFrame {
  readonly kind: "task";
  readonly flow: FlowRunFrame;
  readonly id: string;
  readonly name: string;
  readonly taskName: string;
  /** The task's logPrints, else its flow run's. */
  readonly logPrints: boolean;
  attempt: number;
  signal: AbortSignal;
}

export type RunFrame = FlowRunFrame | TaskRunFrame;

/**
 * One AsyncLocalStorage per process, kept on globalThis under a registered symbol: when a
 * project ends up with two copies of this package (a dependency pinned another version),
 * a task from one copy still sees the flow run started by the other.
 */
const KEY = Symbol.for("baton.runContext");
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<RunFrame> | undefined>;
export const runStorage: AsyncLocalStorage<RunFrame> = (holder[KEY] ??= new AsyncLocalStorage<RunFrame>());

export function currentFrame(): RunFrame | undefined {
  return runStorage.getStore();
}

/** The flow run the current code belongs to, whether it runs in the flow itself or in one of its tasks. */
export function currentFlowFrame(): FlowRunFrame | undefined {
  const frame = runStorage.getStore();
  return frame?.kind === "task" ? frame.flow : frame;
}

export interface RunContext {
  flowRun: { id: string; name: string; flowName: string; parameters: Record<string, unknown>; attempt: number };
  /** Set inside a task run. */
  taskRun?: { id: string; name: string; taskName: string; attempt: number };
  /** Aborted when the run is cancelled or times out: pass it to fetch() and friends so they stop too. */
  signal: AbortSignal;
}

function view(frame: RunFrame): RunContext {
  const flow = frame.kind === "task" ? frame.flow : frame;
  const context: RunContext = {
    flowRun: { id: flow.id, name: flow.name, flowName: flow.flowName, parameters: flow.parameters, attempt: flow.attempt },
    signal: frame.signal,
  };
  if (frame.kind === "task") context.taskRun = { id: frame.id, name: frame.name, taskName: frame.taskName, attempt: frame.attempt };
  return context;
}

/** The run the calling code is part of, or undefined outside any flow run. */
export function currentRunContext(): RunContext | undefined {
  const frame = runStorage.getStore();
  return frame ? view(frame) : undefined;
}

/** The run the calling code is part of; throws outside a flow run (use currentRunContext() to test). */
export function getRunContext(): RunContext {
  const frame = runStorage.getStore();
  if (!frame) {
    throw new MissingRunContextError(
      "MissingRunContext: getRunContext() was called outside a flow run; call it from a flow or a task, or use currentRunContext() which returns undefined there",
    );
  }
  return view(frame);
}
