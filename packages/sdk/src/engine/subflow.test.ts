import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FlowRunAbortedError, flow, runFlow, task } from "../index.js";
import { ALL_MODES, flowRunStateNames, setUpEngine, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";

describe.each(ALL_MODES)("subflows (%s)", (mode) => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine(mode);
  });
  afterEach(async () => {
    await env.close();
  });

  it("links a flow called inside a flow to its parent run and to the task run standing for it", async () => {
    const square = task("square", (n: number) => n * n);
    const child = flow<{ n: number }, Promise<number>>("child-flow", async ({ n }) => square(n));
    const failing = flow("failing-child", async () => {
      throw new Error("child failed");
    });
    const parent = flow("parent-flow", async () => {
      const a = await child({ n: 3 });
      const b = await child({ n: 4 });
      const error = await failing().catch((e: Error) => e.message);
      return { sum: a + b, error };
    });
    const outcome = await runFlow(parent, {});
    expect(outcome.result).toEqual({ sum: 25, error: "child failed" });

    const parentTasks = await taskRunsOf(env.client, outcome.flowRunId);
    expect(parentTasks.map((t) => `${t.name}:${t.state_type}`)).toEqual(["child-flow-0:COMPLETED", "child-flow-1:COMPLETED", "failing-child-0:FAILED"]);
    const children = (await env.client.listFlowRuns({ parent_flow_run_id: outcome.flowRunId, sort: "created_asc" })).items;
    expect(children).toHaveLength(3);
    for (const [i, childRun] of children.entries()) {
      expect(childRun.parent_flow_run_id).toBe(outcome.flowRunId);
      expect(childRun.parent_task_run_id).toBe(parentTasks[i]!.id);
      expect(parentTasks[i]!.subflow_run_id).toBe(childRun.id);
    }
    expect(children[0]!.parameters).toEqual({ n: 3 });
    expect(parentTasks[0]!.state.data?.result).toBe(9);
    expect(await flowRunStateNames(env.client, children[2]!.id)).toEqual(["PENDING/Pending", "RUNNING/Running", "FAILED/Failed"]);
    expect((await taskRunsOf(env.client, children[1]!.id)).map((t) => t.name)).toEqual(["square-0"]);
  });

  it("a subflow run the server refuses fails the task run standing for it, with the reason", async () => {
    const child = flow("refused-child", () => 1);
    const done = await runFlow(child, {});
    const parent = flow("refusing-parent", async () => {
      const error = await runFlow(child, {}, { flowRunId: done.flowRunId }).catch((e: Error) => e);
      return error instanceof FlowRunAbortedError;
    });
    const outcome = await runFlow(parent, {});
    expect(outcome.result).toBe(true);
    const [standIn] = await taskRunsOf(env.client, outcome.flowRunId);
    expect(standIn!.state_type).toBe("FAILED");
    expect(standIn!.state.message).toContain("could not run: FlowRunAbortedError");
  });
});
