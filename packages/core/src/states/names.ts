/**
 * State types and names, free of zod: the SDK's engine needs them in every flow process, the API
 * schemas (states.ts) only at the edges (issue 14: loading Baton is cheap).
 */
export const STATE_TYPES = [
  "SCHEDULED",
  "PENDING",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CRASHED",
  "CANCELLING",
  "CANCELLED",
  "PAUSED",
] as const;
export type StateType = (typeof STATE_TYPES)[number];

/** States a run never leaves on its own; only an explicit retry moves it on. */
export const TERMINAL_STATE_TYPES: ReadonlySet<StateType> = new Set(["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]);
export const isTerminal = (type: StateType): boolean => TERMINAL_STATE_TYPES.has(type);

/** The name a state has when none is given: the type in title case ("RUNNING" -> "Running"). */
export function defaultStateName(type: StateType): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

/** Display names with a meaning of their own, beside the defaults. */
export const STATE_NAMES = {
  late: "Late",
  awaitingRetry: "AwaitingRetry",
  retrying: "Retrying",
  cached: "Cached",
  timedOut: "TimedOut",
} as const;
