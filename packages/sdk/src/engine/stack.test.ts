import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tsImport } from "tsx/esm/api";
import { flow, runFlow } from "../index.js";
import { setUpEngine, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";
import { runFlowProcess } from "../../test/child-process.js";

type Fixture = typeof import("../../test/fixtures/failing-flow.js");

describe("errors keep their TypeScript lines", () => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine("in-process sqlite");
  });
  afterEach(async () => {
    await env.close();
  });

  it("records the stack of a flow written in .ts and loaded at run time, naming the .ts line", async () => {
    // A process of its own, as `baton run` would be: the test runner rewrites stacks its own way.
    const proc = runFlowProcess("failing-flow.ts", "failingFlow", { BATON_HOME: env.home });
    await proc.exited;
    const { flowRunId, state } = JSON.parse(proc.stdout().trim().split("\n").at(-1)!) as { flowRunId: string; state: string };
    expect(state).toBe("FAILED");
    const run = await env.client.readFlowRun(flowRunId);
    expect(run.state.data?.error?.name).toBe("RangeError");
    expect(run.state.data?.error?.stack).toMatch(/failing-flow\.ts:6:\d+/);
    const [taskRun] = await taskRunsOf(env.client, flowRunId);
    expect(taskRun!.state.data?.error?.stack).toMatch(/failing-flow\.ts:6:\d+/);
  });

  it("a task from another copy of the package (the fixture's) joins this copy's flow run", async () => {
    const fixture = (await tsImport("../../test/fixtures/failing-flow.ts", import.meta.url)) as Fixture;
    const f = flow("two-copies", () => fixture.explode("four"));
    const outcome = await runFlow(f, {});
    expect(outcome.result).toBe(4);
    expect((await taskRunsOf(env.client, outcome.flowRunId)).map((t) => `${t.name}:${t.state_type}`)).toEqual(["explode-0:COMPLETED"]);
  });
});
