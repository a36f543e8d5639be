import type { FlowRun } from "@baton/core";
import { uuidv7 } from "@baton/core/runtime";
import { getClient, type BatonClient } from "../client/index.js";
import { currentFlowFrame, type FlowRunFrame } from "../context/run-context.js";
import { createParentTaskRun, finishParentTaskRun, type ParentTaskRun } from "../engine/subflow.js";
import { FlowRunFailedError } from "../errors/index.js";
import { apiErrorStatus } from "../values/run-client.js";
import { DeploymentNotFound, InvalidDeploymentName, RunDeploymentTimeout } from "./errors.js";
import { waitForFinalState } from "./wait.js";

export interface RunDeploymentOptions {
  /** The run's parameters, over the deployment's own; checked against its schema by the server. */
  parameters?: Record<string, unknown>;
  /**
   * Seconds to wait for the run's final state. Unset: as long as it takes. 0: do not wait, return
   * the new run (its ID, its state). Past it, RunDeploymentTimeout is thrown and the run goes on.
   */
  timeout?: number;
  /** Tags added to the deployment's on this run. */
  tags?: string[];
  /** Job variables of this run (the pool's template decides which are allowed). */
  jobVariables?: Record<string, unknown>;
  /**
   * Inside a flow run, the new run is always its child (parent_flow_run_id: cancelling or reading
   * it follows); with asSubflow (the default) a task run stands for the call in the caller's graph,
   * as for a flow called from a flow.
   */
  asSubflow?: boolean;
  /**
   * Inside a flow run: cancelling the calling run (from the CLI, the UI, an automation) cancels
   * the new run too (true, the default). false leaves it running to its own end: for work that
   * must finish once started, or that a flow hands off without waiting (`timeout: 0`).
   */
  cancelWithParent?: boolean;
  /** A client other than the run's own (or, outside a run, the settings'). */
  client?: BatonClient;
}

/**
 * Starts a run of another deployment (another pool, another image, another size) and, unless
 * `timeout: 0`, waits for its final state: returns its result, or throws FlowRunFailedError
 * saying how it ended. Inside a flow run, it is recorded as the run's child.
 *
 * ```ts
 * const rows = await runDeployment<number>("load/warehouse", { parameters: { day } });
 * const run = await runDeployment("report/nightly", { timeout: 0 }); // started, not awaited
 * ```
 */
export async function runDeployment(name: string, options: RunDeploymentOptions & { timeout: 0 }): Promise<FlowRun>;
export async function runDeployment<T = unknown>(name: string, options?: RunDeploymentOptions): Promise<T>;
export async function runDeployment(name: string, options: RunDeploymentOptions = {}): Promise<unknown> {
  const ref = parseName(name);
  if (options.timeout !== undefined && !(options.timeout >= 0)) throw new RangeError(`runDeployment("${name}"): timeout must be a number of seconds >= 0 (0: do not wait), not ${String(options.timeout)}`);
  const frame = currentFlowFrame();
  const client = options.client ?? frame?.client ?? (await getClient());
  const deployment = await lookUp(client, name, ref);
  const childId = uuidv7();
  const parentTask = frame && options.asSubflow !== false ? await createParentTaskRun(frame, name, childId) : undefined;
  let run: FlowRun;
  try {
    run = await client.call("runDeployment", {
      params: { id: deployment.id },
      body: {
        id: childId,
        parameters: options.parameters ?? {},
        tags: options.tags ?? [],
        job_variables: options.jobVariables ?? {},
        ...(frame ? { parent_flow_run_id: frame.id } : {}),
        ...(frame && options.cancelWithParent === false ? { cancel_with_parent: false } : {}),
        ...(parentTask ? { parent_task_run_id: parentTask.id } : {}),
      },
    });
  } catch (error) {
    if (parentTask) finishParentTaskRun(parentTask, undefined, undefined, error);
    throw error;
  }
  if (options.timeout === 0) {
    if (parentTask) finishParentTaskRun(parentTask, { ...run.state, type: "COMPLETED", name: "Completed", message: `Started flow run ${run.id}; not waited for` }, { flow_run_id: run.id }, undefined);
    return run;
  }
  return awaitResult(client, run, name, options.timeout, frame, parentTask);
}

async function awaitResult(client: BatonClient, run: FlowRun, name: string, timeout: number | undefined, frame: FlowRunFrame | undefined, parentTask: ParentTaskRun | undefined): Promise<unknown> {
  const fail = (error: unknown, state?: FlowRun["state"]) => {
    if (parentTask) finishParentTaskRun(parentTask, state, undefined, error);
    return error;
  };
  let outcome: Awaited<ReturnType<typeof waitForFinalState>>;
  try {
    outcome = await waitForFinalState(client, run.id, timeout === undefined ? null : Date.now() + timeout * 1000, frame?.signal);
  } catch (error) {
    // The caller's run was cancelled or timed out, or the server could not be read for too long.
    throw fail(error);
  }
  if ("timedOut" in outcome) {
    throw fail(
      new RunDeploymentTimeout(
        `RunDeploymentTimeout: runDeployment("${name}"): flow run '${run.name}' (${run.id}) is still ${outcome.timedOut.state_name} after ${timeout} s; it goes on (follow it with baton flow-run logs ${run.id} --follow), or raise timeout`,
        run.id,
      ),
    );
  }
  const state = outcome.run.state;
  if (state.type === "COMPLETED") {
    const result = state.data?.result ?? null;
    if (parentTask) finishParentTaskRun(parentTask, state, result, undefined);
    return result;
  }
  const cause = state.data?.error ? `: ${state.data.error.message}` : state.message ? `: ${state.message}` : "";
  throw fail(new FlowRunFailedError(`FlowRunFailed: runDeployment("${name}"): flow run '${run.name}' (${run.id}) ended ${state.name}${cause}; see baton flow-run inspect ${run.id}`), state);
}

function parseName(name: string): { flow: string; name: string } {
  const slash = name.indexOf("/");
  if (slash <= 0 || slash === name.length - 1 || name.indexOf("/", slash + 1) !== -1) {
    throw new InvalidDeploymentName(`InvalidDeploymentName: runDeployment("${name}"): name a deployment as "flow/deployment" (e.g. "etl-flow/etl-local"); list them with baton deployment ls`);
  }
  return { flow: name.slice(0, slash), name: name.slice(slash + 1) };
}

async function lookUp(client: BatonClient, name: string, ref: { flow: string; name: string }): Promise<{ id: string }> {
  try {
    return await client.call("readDeploymentByName", { params: ref });
  } catch (error) {
    if (apiErrorStatus(error) === 404) throw new DeploymentNotFound(`DeploymentNotFound: runDeployment("${name}"): no deployment "${name}"; list them with baton deployment ls, or deploy it with baton deploy`);
    throw error;
  }
}
