import type { State, StateType } from "@baton/core";
import { LOG_LEVELS } from "@baton/core/runtime";
import { runStorage, type FlowRunFrame, type RunFrame } from "../context/run-context.js";
import { describeError } from "../errors/describe.js";
import { stackOf } from "../errors/error-stack.js";
import { emit, RunLogger } from "../logging/run-logger.js";
import type { HookContext, Hooks, StateHook } from "../definition/hook-types.js";

export type { FlowHookOptions, HookContext, HookLogger, Hooks, StateHook, TaskHookOptions } from "../definition/hook-types.js";

export type FlowHookName = "onRunning" | "onCompletion" | "onFailure" | "onCrashed" | "onCancellation";
export const FLOW_HOOK_NAMES: readonly FlowHookName[] = ["onRunning", "onCompletion", "onFailure", "onCrashed", "onCancellation"];
export const TASK_HOOK_NAMES: readonly FlowHookName[] = ["onCompletion", "onFailure"];
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 30;

const HOOK_FOR: Partial<Record<StateType, FlowHookName>> = {
  RUNNING: "onRunning",
  COMPLETED: "onCompletion",
  FAILED: "onFailure",
  CRASHED: "onCrashed",
  CANCELLED: "onCancellation",
};

/** The hook that a state calls, if any. */
export const hookFor = (state: State): FlowHookName | undefined => HOOK_FOR[state.type];

const listOf = (hooks: Hooks | undefined): StateHook[] => (hooks === undefined ? [] : typeof hooks === "function" ? [hooks] : [...hooks]);

/** A clear TypeError at definition time for a hook that is not a function (or list of them), or a bad timeout. */
export function validateHooks(where: string, options: Partial<Record<FlowHookName, unknown>> & { hookTimeoutSeconds?: unknown }, allowed: readonly FlowHookName[]): void {
  for (const name of FLOW_HOOK_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    if (!allowed.includes(name)) throw new TypeError(`${where}: ${name} is not a hook of this kind of run; it takes ${allowed.join(", ")}`);
    const list = typeof value === "function" ? [value] : Array.isArray(value) ? value : undefined;
    if (!list || list.some((h) => typeof h !== "function")) throw new TypeError(`${where}: ${name} must be a function or a list of functions, e.g. ${name}: ({ flowRun, state, logger }) => ...`);
  }
  const t = options.hookTimeoutSeconds;
  if (t !== undefined && !(typeof t === "number" && t > 0)) throw new TypeError(`${where}: hookTimeoutSeconds must be a number > 0, got ${String(t)}`);
}

class HookTimedOut extends Error {}

const inFlight = new Set<Promise<void>>();

/** Resolves when every hook running now has ended (the crash handler waits for them before exiting). */
export async function hooksInFlight(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/**
 * Run the hooks of `which` for a state the run has already entered (recorded first, so nothing a
 * hook does can change it). Each runs in the run's context (getRunLogger() works inside), one
 * after the other; one that throws or passes its timeout is logged on the run as an error and
 * the next one runs. Never throws. The lines reach the server before this resolves.
 */
export function runHooks(frame: RunFrame, hooks: Partial<Record<FlowHookName, Hooks>> & { hookTimeoutSeconds?: number }, which: FlowHookName, state: State): Promise<void> {
  if (listOf(hooks[which]).length === 0) return Promise.resolve();
  const running = runEach(frame, hooks, which, state).finally(() => inFlight.delete(running));
  inFlight.add(running);
  return running;
}

async function runEach(frame: RunFrame, hooks: Partial<Record<FlowHookName, Hooks>> & { hookTimeoutSeconds?: number }, which: FlowHookName, state: State): Promise<void> {
  const list = listOf(hooks[which]);
  const flow: FlowRunFrame = frame.kind === "task" ? frame.flow : frame;
  const timeoutSeconds = hooks.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS;
  const context: HookContext = {
    flowRun: { id: flow.id, name: flow.name, flowName: flow.flowName, parameters: flow.parameters, attempt: flow.attempt },
    ...(frame.kind === "task" ? { taskRun: { id: frame.id, name: frame.name, taskName: frame.taskName, attempt: frame.attempt } } : {}),
    state,
    logger: new RunLogger(frame, "baton.hooks"),
  };
  for (const [index, hook] of list.entries()) {
    const label = `${which} hook '${hook.name || `#${index + 1}`}'`;
    let timer: NodeJS.Timeout | undefined;
    try {
      const run = runStorage.run(frame, () => Promise.resolve().then(() => hook(context)));
      const timeout = new Promise<never>((_, reject) => {
        // Not unref'd: a hook that hangs on nothing must still time out, not let the process end under it.
        timer = setTimeout(() => reject(new HookTimedOut()), timeoutSeconds * 1000);
      });
      await Promise.race([run, timeout]);
      emit(frame, LOG_LEVELS.debug, `Ran ${label}`, "baton.hooks");
    } catch (error) {
      const message =
        error instanceof HookTimedOut
          ? `The ${label} did not finish within ${timeoutSeconds}s (hookTimeoutSeconds) and was abandoned; the run stays ${state.name}`
          : `The ${label} failed: ${describeError(error)}; the run stays ${state.name}\n${error instanceof Error ? stackOf(error) : ""}`.trimEnd();
      emit(frame, LOG_LEVELS.error, message, "baton.hooks");
    } finally {
      clearTimeout(timer);
    }
  }
  await flow.reporter.flush().catch(() => undefined);
}

/** The longest the hooks of `which` may take in all (the crash handler keeps the process that long). */
export const hooksBudgetMs = (hooks: Partial<Record<FlowHookName, Hooks>> & { hookTimeoutSeconds?: number }, which: FlowHookName): number =>
  listOf(hooks[which]).length * (hooks.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS) * 1000;
