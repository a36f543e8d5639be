import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FlowTimeoutError, MAX_INLINE_RESULT_BYTES, ParameterValidationError } from "@baton/core";
import { flow, getRunLogger, runFlow, task } from "../index.js";
import { ALL_MODES, flowRunStateNames, logMessages, setUpEngine, taskRunStateNames, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";

const extract = task({ name: "extract", retries: 2, retryDelaySeconds: [0.01, 0.02] }, async () => ["alpha", "beta", "gamma", "delta"]);
const transform = task("transform", (items: string[], uppercase: boolean) => (uppercase ? items.map((s) => s.toUpperCase()) : items));
const load = task("load", async (items: string[]) => {
  for (const i of items) getRunLogger().info(`Loaded item: ${i}`);
  return items.length;
});
const etlFlow = flow(
  { name: "etl-flow", parameters: z.object({ limit: z.number().int().default(3), uppercase: z.boolean().default(true) }) },
  async ({ limit, uppercase }) => {
    const data = await transform(await extract(), uppercase);
    return load(data.slice(0, limit));
  },
);

describe.each(ALL_MODES)("flow runs (%s)", (mode) => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine(mode);
  });
  afterEach(async () => {
    await env.close();
  });

  it("records the ETL flow: its states, task runs linked by their inputs, and its logs in order", async () => {
    let created: { id: string; name: string } | undefined;
    const outcome = await runFlow(etlFlow, { limit: 2 }, { onFlowRunCreated: (run) => (created = run) });
    expect(outcome.state.type).toBe("COMPLETED");
    expect(outcome.result).toBe(2);
    expect(created?.id).toBe(outcome.flowRunId);

    const run = await env.client.readFlowRun(outcome.flowRunId);
    expect(run.parameters).toEqual({ limit: 2, uppercase: true });
    expect(run.state.data?.result).toBe(2);
    expect(run.flow_name).toBe("etl-flow");
    expect(await flowRunStateNames(env.client, run.id)).toEqual(["PENDING/Pending", "RUNNING/Running", "COMPLETED/Completed"]);

    const tasks = await taskRunsOf(env.client, run.id);
    expect(tasks.map((t) => t.name)).toEqual(["extract-0", "transform-0", "load-0"]);
    for (const t of tasks) expect(await taskRunStateNames(env.client, t.id)).toEqual(["PENDING/Pending", "RUNNING/Running", "COMPLETED/Completed"]);
    const [ex, tr, lo] = tasks;
    expect(tr!.task_inputs).toEqual({ items: [{ input_type: "task_run", id: ex!.id }], uppercase: [] });
    expect(lo!.task_inputs.items).toEqual([]); // a slice is a new array, not transform's result
    expect(ex!.max_retries).toBe(2);
    expect(tr!.state.data?.result).toEqual(["ALPHA", "BETA", "GAMMA", "DELTA"]);

    const logs = await logMessages(env.client, run.id);
    const loaded = logs.filter((l) => l.message.startsWith("Loaded item"));
    expect(loaded.map((l) => l.message)).toEqual(["Loaded item: ALPHA", "Loaded item: BETA"]);
    expect(loaded.every((l) => l.task_run_id === lo!.id)).toBe(true);
    expect(logs.at(-1)!.message).toBe("Finished in state Completed()");
    expect(logs[0]!.message).toContain("Beginning flow run");
  });

  it("calling a flow resolves to its value; a failing flow rejects with its own error and is FAILED with the error recorded", async () => {
    expect(await etlFlow()).toBe(3);
    const boom = flow("boom-flow", async () => {
      throw new TypeError("the input was empty");
    });
    await expect(boom()).rejects.toThrow(TypeError);
    const outcome = await runFlow(boom, {});
    expect(outcome.state.type).toBe("FAILED");
    expect(outcome.error).toBeInstanceOf(TypeError);
    const run = await env.client.readFlowRun(outcome.flowRunId);
    expect(run.state.message).toBe("Flow run encountered an exception: TypeError: the input was empty");
    expect(run.state.data?.error).toMatchObject({ name: "TypeError", message: "the input was empty" });
    expect(run.state.data?.error?.stack).toContain("flow-run.test.ts");
  });

  it("rejects bad parameters before anything is recorded, naming the parameter", async () => {
    const error = await runFlow(etlFlow, { limit: "two" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterValidationError);
    expect((error as ParameterValidationError).message).toContain("parameters.limit");
    expect((error as ParameterValidationError).issues[0]!.path).toBe("parameters.limit");
    await expect(etlFlow({ limit: 1.5 })).rejects.toThrow(/parameters\.limit/);
    expect((await env.client.listFlowRuns()).items).toEqual([]);
  });

  it("retries a failed flow run under the same ID: AwaitingRetry, then Retrying", async () => {
    let calls = 0;
    const flaky = flow({ name: "flaky-flow", retries: 1, retryDelaySeconds: 0.05 }, async () => {
      calls += 1;
      if (calls === 1) throw new Error("first attempt fails");
      return getRunLoggerAttempt();
    });
    const outcome = await runFlow(flaky, {});
    expect(outcome.state.type).toBe("COMPLETED");
    expect(outcome.result).toBe(2);
    expect(await flowRunStateNames(env.client, outcome.flowRunId)).toEqual([
      "PENDING/Pending",
      "RUNNING/Running",
      "SCHEDULED/AwaitingRetry",
      "RUNNING/Retrying",
      "COMPLETED/Completed",
    ]);
    expect((await env.client.readFlowRun(outcome.flowRunId)).run_count).toBe(2);
  });

  it("two flows run side by side in one process are two runs, each with its own task runs", async () => {
    const tick = task("tick", async (n: number) => {
      await new Promise((r) => setTimeout(r, 1));
      return n;
    });
    const left = flow("left", async () => {
      for (let i = 0; i < 5; i++) await tick(i);
      return "left";
    });
    const right = flow("right", async () => Promise.all([tick(1), tick(2)]));
    const [a, b] = await Promise.all([runFlow(left, {}), runFlow(right, {})]);
    expect([a.result, b.result]).toEqual(["left", [1, 2]]);
    expect((await taskRunsOf(env.client, a.flowRunId)).map((t) => t.name)).toEqual(["tick-0", "tick-1", "tick-2", "tick-3", "tick-4"]);
    expect((await taskRunsOf(env.client, b.flowRunId)).map((t) => t.name).sort()).toEqual(["tick-0", "tick-1"]);
  });

  it("summarizes a result too big to keep inline, while the caller gets the real value", async () => {
    const big = "x".repeat(MAX_INLINE_RESULT_BYTES + 10);
    const bigTask = task("big", () => big);
    const outcome = await runFlow(flow("big-result", () => bigTask()), {});
    expect(outcome.result).toBe(big);
    const run = await env.client.readFlowRun(outcome.flowRunId);
    const recorded = run.state.data?.result as { summary: string; bytes: number };
    expect(recorded.summary).toContain(`a string of ${big.length} characters`);
    expect(recorded.bytes).toBe(big.length + 2);
    const [taskRun] = await taskRunsOf(env.client, outcome.flowRunId);
    expect((taskRun!.state.data?.result as { summary: string }).summary).toContain("larger than");
  });

  it("fails a flow run that runs past its timeout as TimedOut and aborts its signal", async () => {
    let aborted: unknown;
    const deaf = task("deaf", () => new Promise((resolve) => setTimeout(resolve, 300)));
    const retrying = task({ name: "retrying", retries: 5, retryDelaySeconds: 10 }, () => {
      throw new Error("always");
    });
    const slow = flow({ name: "slow-flow", timeoutSeconds: 0.1 }, async () => {
      const { getRunContext } = await import("../index.js");
      const signal = getRunContext().signal;
      void deaf(); // ignores the signal and finishes after the run has ended
      void retrying().catch(() => undefined); // waits 10 s to retry when the run ends
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      aborted = signal.reason;
    });
    const outcome = await runFlow(slow, {});
    expect(outcome.state.type).toBe("FAILED");
    expect(outcome.state.name).toBe("TimedOut");
    expect(outcome.error).toBeInstanceOf(FlowTimeoutError);
    expect(aborted).toBeInstanceOf(FlowTimeoutError);
    expect(outcome.state.data?.error?.name).toBe("FlowTimeoutError");
    await new Promise((r) => setTimeout(r, 400)); // past the end of the deaf task
    const { flushReports } = await import("../index.js");
    await flushReports();
    const runs = await taskRunsOf(env.client, outcome.flowRunId);
    expect(runs.map((r) => `${r.name}:${r.state_type}`)).toEqual(["deaf-0:CANCELLED", "retrying-0:CANCELLED"]);
    expect(runs[0]!.state.message).toContain("FlowTimeout");
  });
});

async function getRunLoggerAttempt(): Promise<number> {
  const { getRunContext } = await import("../index.js");
  return getRunContext().flowRun.attempt;
}
