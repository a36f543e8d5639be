import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flow, runFlow, suspendFlowRun } from "../index.js";
import { setUpEngine, type EngineEnv } from "../../test/engine-env.js";

/** Where no worker can start a run again, suspendFlowRun refuses, saying what to use instead (the worker path: test/e2e/suspend-resume.test.ts). */
describe("suspendFlowRun outside a deployment's run", () => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine("http");
  });
  afterEach(async () => {
    await env.close();
  });

  it("fails the run with SuspendNotPossible, naming pauseFlowRun; a bad key is refused too", async () => {
    const local = flow("suspends-locally", async () => suspendFlowRun());
    const outcome = await runFlow(local, {});
    expect(outcome.state.type).toBe("FAILED");
    expect(outcome.state.message).toContain("SuspendNotPossible: flow run");
    expect(outcome.state.message).toContain("use pauseFlowRun()");
    const badKey = flow("suspends-with-a-bad-key", async () => suspendFlowRun({ key: "a/b" }));
    expect((await runFlow(badKey, {})).state.message).toContain(`SuspendNotPossible: suspendFlowRun: key "a/b" must be 1 to 100 letters`);
    await expect(suspendFlowRun()).rejects.toThrow("MissingRunContext: suspendFlowRun() must be called inside a flow run");
  });
});
