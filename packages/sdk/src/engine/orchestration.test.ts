import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { FlowRunAbortedError, flow, getRunContext, runFlow, task } from "../index.js";
import { ALL_MODES, flowRunStateNames, setUpEngine, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";

describe.each(ALL_MODES)("what the server answers (%s)", (mode) => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine(mode, { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "0.05" });
  });
  afterEach(async () => {
    await env.close();
  });

  it("a run cancelled while running hears it in its heartbeat, aborts its signal and ends Cancelled", async () => {
    let sawAbort = false;
    let flowRunId!: string;
    let cancelled: Promise<unknown> | undefined;
    const waitForCancel = task("wait-for-cancel", async () => {
      const { signal } = getRunContext();
      const aborted = new Promise((resolve) => signal.addEventListener("abort", resolve));
      // Once it runs (its task has started), an operator cancels it.
      cancelled = env.client.setFlowRunState(flowRunId, { type: "CANCELLING" });
      await aborted;
      sawAbort = true;
    });
    const f = flow("cancellable", () => waitForCancel());
    const outcome = await runFlow(f, {}, {
      onFlowRunCreated: ({ id }) => {
        flowRunId = id;
      },
    });
    expect(await cancelled).toMatchObject({ status: "ACCEPT" });
    expect(outcome.state.type).toBe("CANCELLED");
    expect(sawAbort).toBe(true);
    expect(await flowRunStateNames(env.client, outcome.flowRunId)).toEqual(["PENDING/Pending", "RUNNING/Running", "CANCELLING/Cancelling", "CANCELLED/Cancelled"]);
    expect((await env.client.readFlowRun(outcome.flowRunId)).heartbeat_time).not.toBeNull();
    const [taskRun] = await taskRunsOf(env.client, outcome.flowRunId);
    expect(taskRun!.name).toBe("wait-for-cancel-0");
    // It returned once aborted, but the run had already closed it: it stays Cancelled.
    expect(taskRun!.state_type).toBe("CANCELLED");
  });

  it("a run proposed Running before its scheduled time waits (WAIT) and then runs under the given ID", async () => {
    const id = uuidv7();
    await env.client.createFlowRun({
      id,
      flow_name: "scheduled-flow",
      name: "made-by-a-scheduler",
      state: { type: "SCHEDULED", state_details: { scheduled_time: new Date(Date.now() + 300).toISOString() } },
    });
    const f = flow("scheduled-flow", () => "ran");
    const outcome = await runFlow(f, {}, { flowRunId: id });
    expect(outcome.result).toBe("ran");
    expect(outcome.flowRunName).toBe("made-by-a-scheduler");
    expect(await flowRunStateNames(env.client, id)).toEqual(["SCHEDULED/Scheduled", "RUNNING/Running", "COMPLETED/Completed"]);
  });

  it("a run the server marked Crashed while it ran (a stalled process) ends in that state, without throwing", async () => {
    let markedCrashed!: Promise<unknown>;
    const f = flow("stalled", async () => {
      const { flowRun } = getRunContext();
      markedCrashed = env.client.setFlowRunState(flowRun.id, { type: "CRASHED", message: "no heartbeat for 60s" });
      await markedCrashed;
      return "finished anyway";
    });
    const outcome = await runFlow(f, {});
    expect(outcome.state.type).toBe("CRASHED");
    expect(outcome.state.message).toBe("no heartbeat for 60s");
    expect(outcome.result).toBeUndefined();
    await expect(f()).rejects.toThrow(/ended Crashed: no heartbeat/);
  });

  it("a run cancelled before it starts ends Cancelled without running", async () => {
    const id = uuidv7();
    await env.client.createFlowRun({ id, flow_name: "never-started", state: { type: "PENDING" } });
    await env.client.setFlowRunState(id, { type: "CANCELLING" });
    let ran = false;
    const outcome = await runFlow(flow("never-started", () => (ran = true)), {}, { flowRunId: id });
    expect(ran).toBe(false);
    expect(outcome.state.type).toBe("CANCELLED");
  });

  it("a run the server will not let this process run (ABORT) stops with a clear error", async () => {
    const f = flow("finished-flow", () => 1);
    const done = await runFlow(f, {});
    const error = await runFlow(f, {}, { flowRunId: done.flowRunId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowRunAbortedError);
    expect((error as Error).message).toMatch(/already COMPLETED/);
  });
});
