import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { Reporter } from "./reporter.js";
import { setUpEngine, taskRunStateNames, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";

describe("the reporter", () => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine("in-process sqlite");
  });
  afterEach(async () => {
    await env.close();
  });

  it("keeps order across many small batches: a task run's creation always lands before its states", async () => {
    const run = await env.client.createFlowRun({ flow_name: "reported", state: { type: "RUNNING" } });
    // Tiny batches, so creations and states of one task run travel in different requests.
    const reporter = new Reporter(env.client, { maxBatch: 3, sizeThreshold: 2, intervalMs: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = uuidv7();
      ids.push(id);
      reporter.addTaskRun({ id, flow_run_id: run.id, task_key: "t", name: `t-${i}`, dynamic_key: String(i) }, { type: "PENDING", timestamp: new Date().toISOString() });
      reporter.addState(id, { type: "RUNNING", timestamp: new Date().toISOString() });
      reporter.addLog({ flow_run_id: run.id, task_run_id: id, level: 20, message: `line ${i}`, timestamp: new Date().toISOString() });
      reporter.addState(id, { type: "COMPLETED", timestamp: new Date().toISOString() });
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 2)); // let some batches leave mid-way
    }
    await reporter.flush();
    expect(reporter.pending).toBe(0);
    const runs = await taskRunsOf(env.client, run.id);
    expect(runs.map((r) => r.id)).toEqual(ids);
    for (const r of runs) expect(await taskRunStateNames(env.client, r.id)).toEqual(["PENDING/Pending", "RUNNING/Running", "COMPLETED/Completed"]);
    const logs = await env.client.listLogs({ flow_run_id: run.id });
    expect(logs.items.map((l) => l.message)).toEqual(ids.map((_, i) => `line ${i}`));
  });
});
