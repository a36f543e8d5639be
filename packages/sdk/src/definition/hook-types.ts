import type { State } from "@baton/core";

// The shapes of state hooks, apart from the code that runs them, so the run context can name
// them without importing the runner (which imports the context).

/** The logger a hook is given: its lines are recorded with the run (a RunLogger). */
export interface HookLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warning(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  critical(...args: unknown[]): void;
}

/** What a hook is given: the run, the state it entered, and a logger whose lines are recorded with the run. */
export interface HookContext {
  flowRun: { id: string; name: string; flowName: string; parameters: Record<string, unknown>; attempt: number };
  /** Set for a task's hooks: the task run. */
  taskRun?: { id: string; name: string; taskName: string; attempt: number };
  state: State;
  logger: HookLogger;
}

export type StateHook = (context: HookContext) => unknown;
export type Hooks = StateHook | readonly StateHook[];

/** The state hooks of a flow (each one function or a list, run in order). */
export interface FlowHookOptions {
  /** Each time the run enters Running (every attempt). */
  onRunning?: Hooks;
  onCompletion?: Hooks;
  /** When the run ends Failed (not when a failure is retried). */
  onFailure?: Hooks;
  /** When the run ends Crashed: its process got SIGTERM, SIGINT or SIGHUP, or an error escaped everything. */
  onCrashed?: Hooks;
  /** When the run ends Cancelled, including when its worker ended the process because of a cancel. */
  onCancellation?: Hooks;
  /** How long one hook may take before it is abandoned and the timeout logged (default 30 s). */
  hookTimeoutSeconds?: number;
}

/** The state hooks a task has: the ones that make sense for a call inside a flow. */
export interface TaskHookOptions {
  onCompletion?: Hooks;
  /** When the task run ends Failed (after its retries). */
  onFailure?: Hooks;
  hookTimeoutSeconds?: number;
}

