import type { Deployment, FlowRun, StateType } from "@baton/core";

/**
 * Messages between a worker and a reused executor (reuse-entry.ts), over Node's IPC channel.
 * The worker closing the channel means: take no more runs, exit when the ones running end.
 */
export type ToExecutor =
  /**
   * Run this flow run, as its own client with these credentials (BATON_API_KEY=<run token>);
   * the run and its deployment as the worker claimed them, so the executor reads neither again.
   */
  | { type: "run"; flowRunId: string; credentials: Record<string, string>; deployment: Deployment; flowRun?: FlowRun }
  /** The run was cancelled: stop recording it. */
  | { type: "cancel"; flowRunId: string };

export type FromExecutor =
  /**
   * The run ended; `code` as `baton flow-run execute` would exit (0: Completed), `state_type` the
   * state the server gave its last report (absent when it could not run).
   */
  { type: "done"; flowRunId: string; code: number; message?: string; state_type?: StateType };
