import type { State } from "@baton/core";
import { uuidv7 } from "@baton/core/runtime";
import type { FlowRunFrame } from "../context/run-context.js";
import { describeError } from "../errors/describe.js";
import { serializeFailure } from "../errors/error-stack.js";
import { recordedResult } from "./recorded-result.js";

export interface ParentTaskRun {
  id: string;
  name: string;
  flow: FlowRunFrame;
}

/**
 * A flow called inside another is a subflow run; the parent records a task run standing for
 * it, linked both ways, so the parent's graph shows the call. It is sent before the child
 * run is created, since the child names it.
 */
export async function createParentTaskRun(parent: FlowRunFrame, flowName: string, childId: string): Promise<ParentTaskRun> {
  const n = parent.taskCounters.get(flowName) ?? 0;
  parent.taskCounters.set(flowName, n + 1);
  const id = uuidv7();
  const name = `${flowName}-${n}`;
  const now = new Date().toISOString();
  parent.reporter.addTaskRun(
    { id, flow_run_id: parent.id, task_key: flowName, name, dynamic_key: String(n), subflow_run_id: childId, created: now },
    { type: "PENDING", timestamp: now },
  );
  parent.reporter.addState(id, { type: "RUNNING", timestamp: now });
  parent.runningTaskRuns.set(id, name);
  await parent.reporter.flush();
  return { id, name, flow: parent };
}

/** The parent's task run ends as its subflow run did, or FAILED when the subflow run could not run at all (no state). */
export function finishParentTaskRun(task: ParentTaskRun, state: State | undefined, result: unknown, error: unknown): void {
  task.flow.runningTaskRuns.delete(task.id);
  const timestamp = new Date().toISOString();
  if (!state) {
    task.flow.reporter.addState(task.id, { type: "FAILED", message: `The subflow run could not run: ${describeError(error)}`, timestamp, data: { error: serializeFailure(error) } });
    return;
  }
  task.flow.reporter.addState(task.id, {
    type: state.type,
    name: state.name,
    ...(state.message ? { message: state.message } : {}),
    timestamp,
    ...(state.type === "COMPLETED" ? { data: { result: recordedResult(result) } } : error !== undefined ? { data: { error: serializeFailure(error) } } : {}),
  });
}
