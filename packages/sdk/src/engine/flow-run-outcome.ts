import type { FlowRun, PulledSource, State } from "@baton/core";
import type { BatonClient } from "../client/index.js";

// How a flow run is asked for and how it ended, apart from the engine so the attempts loop
// (which the engine calls) can name them without importing the engine.
/** What the engine needs of a run it did not create: its name, and where its trace and deployment come from. */
export type KnownFlowRun = Pick<FlowRun, "id" | "name"> & Partial<Pick<FlowRun, "traceparent" | "deployment_id" | "deployment_name" | "work_pool_name">>;

export interface RunFlowOptions {
  /** Run this flow run (a worker's, created beforehand) or create it with this ID. */
  flowRunId?: string;
  /**
   * The run `flowRunId` names, when the caller has just read it (a worker's run process reads its
   * run before pulling and again after): the engine does not read it a third time.
   */
  knownRun?: KnownFlowRun;
  /** Talk to the server through this client instead of the process's shared one (a worker's, with secrets masked). */
  client?: BatonClient;
  /** Called once the flow run exists on the server, before the flow function starts. */
  onFlowRunCreated?(run: { id: string; name: string }): void;
  /** The commit a deployment run pulled: recorded on its Running state. */
  source?: PulledSource;
}

export interface FlowRunOutcome<R = unknown> {
  flowRunId: string;
  flowRunName: string;
  /** The final state, as the server recorded it. */
  state: State;
  /** The return value, when the run completed. */
  result?: R;
  /** Why it did not complete: the flow's own error when there is one. */
  error?: unknown;
}
