// What a commit changed, apart from the publisher, so the bus can carry it without importing
// the publisher (which imports the bus).
import type { LogEvent, TaskRunsEvent, WorkerEvent } from "./types.js";

/** A flow-run state as written: the run's flow, deployment and pool are looked up on publishing. */
export interface StateFact {
  flow_run_id: string;
  type: string;
  name: string;
  timestamp: string;
  /** The state's id (a replica of an older version may not send it). */
  state_id?: string;
}

/** Log lines another replica wrote: the run and the time span, read back here when someone watches that run. */
export interface LogSpan {
  flow_run_id: string;
  from: string;
  to: string;
}

/** What one commit (here or on another replica) changed that the event streams care about. */
export interface Committed {
  states: StateFact[];
  logs: LogEvent[];
  logSpans: LogSpan[];
  /** Worker heartbeats (not a commit of states or logs, but relayed the same way). */
  workers: WorkerEvent[];
  /** Task runs that entered a state (their flow run is looked up when someone watches it)... */
  taskRunIds: string[];
  /** ...or, from another replica, already counted per flow run. */
  taskRuns: TaskRunsEvent[];
}

export const nothingCommitted = (): Committed => ({ states: [], logs: [], logSpans: [], workers: [], taskRunIds: [], taskRuns: [] });
