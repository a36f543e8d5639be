import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TaskTimeoutError } from "@baton/core";
import { exponentialBackoff, flow, getRunContext, runFlow, task } from "../index.js";
import { ALL_MODES, setUpEngine, taskRunStateNames, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";

/** A task that fails its first `failures` calls, then returns the attempt number. */
function flakyTask(name: string, failures: number, options: Parameters<typeof task>[0] extends infer O ? Omit<O & object, "name"> : never) {
  let calls = 0;
  return task({ name, ...options }, () => {
    calls += 1;
    if (calls <= failures) throw new Error(`failure ${calls}`);
    return getRunContext().taskRun!.attempt;
  });
}

describe.each(ALL_MODES)("task runs (%s)", (mode) => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine(mode);
  });
  afterEach(async () => {
    await env.close();
  });

  it("retries with a fixed delay, a list of delays and exponential backoff, recording AwaitingRetry and Retrying", async () => {
    const fixed = flakyTask("fixed", 2, { retries: 2, retryDelaySeconds: 0.02 });
    const list = flakyTask("list", 2, { retries: 3, retryDelaySeconds: [0.01, 0.03] });
    const backoff = flakyTask("backoff", 3, { retries: 3, retryDelaySeconds: exponentialBackoff({ baseSeconds: 0.01, maxSeconds: 0.03, jitter: 0.5 }) });
    const exhausted = flakyTask("exhausted", 5, { retries: 1, retryDelaySeconds: 0.01 });
    const f = flow("retrying-flow", async () => {
      const attempts = [await fixed(), await list(), await backoff()];
      await exhausted().catch(() => undefined);
      return attempts;
    });
    const outcome = await runFlow(f, {});
    expect(outcome.result).toEqual([3, 3, 4]);
    const runs = await taskRunsOf(env.client, outcome.flowRunId);
    const retried = ["PENDING/Pending", "RUNNING/Running", "SCHEDULED/AwaitingRetry", "RUNNING/Retrying", "SCHEDULED/AwaitingRetry", "RUNNING/Retrying", "COMPLETED/Completed"];
    expect(await taskRunStateNames(env.client, runs[0]!.id)).toEqual(retried);
    expect(await taskRunStateNames(env.client, runs[1]!.id)).toEqual(retried);
    expect(await taskRunStateNames(env.client, runs[2]!.id)).toEqual([...retried.slice(0, -1), "SCHEDULED/AwaitingRetry", "RUNNING/Retrying", "COMPLETED/Completed"]);
    expect(await taskRunStateNames(env.client, runs[3]!.id)).toEqual(["PENDING/Pending", "RUNNING/Running", "SCHEDULED/AwaitingRetry", "RUNNING/Retrying", "FAILED/Failed"]);
    expect(runs[0]!.run_count).toBe(3);
    expect(runs[3]!.state.data?.error?.message).toBe("failure 2");
    const awaiting = (await env.client.taskRunStates(runs[1]!.id)).items.filter((s) => s.name === "AwaitingRetry");
    expect(awaiting.every((s) => typeof s.state_details.scheduled_time === "string")).toBe(true);
  });

  it("retries only what retryCondition accepts", async () => {
    let calls = 0;
    const picky = task({ name: "picky", retries: 3, retryDelaySeconds: 0, retryCondition: (e) => (e as Error).message !== "fatal" }, () => {
      calls += 1;
      throw new Error(calls === 1 ? "transient" : "fatal");
    });
    const outcome = await runFlow(flow("picky-flow", () => picky()), {});
    expect(outcome.state.type).toBe("FAILED");
    expect(calls).toBe(2);
  });

  it("fails a task past its timeoutSeconds with TaskTimeoutError (TimedOut); the flow decides what to do", async () => {
    let signalAborted = false;
    const slow = task({ name: "slow", timeoutSeconds: 0.05 }, async () => {
      const signal = getRunContext().signal;
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      signalAborted = true;
    });
    const f = flow("timeout-flow", async () => {
      const error = await slow().catch((e: unknown) => e);
      return error instanceof TaskTimeoutError ? "handled" : "not a timeout";
    });
    const outcome = await runFlow(f, {});
    expect(outcome.result).toBe("handled");
    expect(signalAborted).toBe(true);
    const [run] = await taskRunsOf(env.client, outcome.flowRunId);
    expect(run!.state_type).toBe("FAILED");
    expect(run!.state_name).toBe("TimedOut");
    expect(run!.state.data?.error?.name).toBe("TaskTimeoutError");
  });

  it("records every call of Promise.all as its own task run, concurrently", async () => {
    let running = 0;
    let peak = 0;
    const double = task("double", async (n: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return n * 2;
    });
    const f = flow("fan-out", async () => {
      const items = Array.from({ length: 100 }, (_, i) => i);
      return (await Promise.all(items.map((i) => double(i)))).reduce((a, b) => a + b, 0);
    });
    const outcome = await runFlow(f, {});
    expect(outcome.result).toBe(9900);
    expect(peak).toBe(100);
    const runs = await taskRunsOf(env.client, outcome.flowRunId);
    expect(runs).toHaveLength(100);
    expect(new Set(runs.map((r) => r.name)).size).toBe(100);
    expect(runs.every((r) => r.state_type === "COMPLETED" && r.task_key === "double")).toBe(true);
    expect(runs.map((r) => Number(r.dynamic_key)).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("records tags and tasks called from tasks", async () => {
    const inner = task({ name: "inner", tags: ["db"] }, (x: number) => x + 1);
    const outer = task({ name: "outer", tags: ["etl", "nightly"] }, async (x: number) => (await inner(x)) * 10);
    const outcome = await runFlow(flow("nested", () => outer(1)), {});
    expect(outcome.result).toBe(20);
    const runs = await taskRunsOf(env.client, outcome.flowRunId);
    expect(runs.map((r) => [r.name, r.tags])).toEqual([
      ["outer-0", ["etl", "nightly"]],
      ["inner-0", ["db"]],
    ]);
  });
});

describe("tasks outside a flow run", () => {
  it("just run, with their retries and timeout, and record nothing", async () => {
    let calls = 0;
    const flaky = task({ name: "flaky-outside", retries: 2, retryDelaySeconds: 0.01 }, () => {
      calls += 1;
      if (calls < 3) throw new Error("not yet");
      return "done";
    });
    expect(await flaky()).toBe("done");
    expect(calls).toBe(3);
    const slow = task({ name: "slow-outside", timeoutSeconds: 0.02 }, () => new Promise((r) => setTimeout(r, 1000)));
    await expect(slow()).rejects.toBeInstanceOf(TaskTimeoutError);
    const sync = task("sync-throw", () => {
      throw new RangeError("sync");
    });
    await expect(sync()).rejects.toBeInstanceOf(RangeError);
  });
});
