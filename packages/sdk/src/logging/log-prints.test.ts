import { afterEach, describe, expect, it } from "vitest";
import { flow, runFlow, task } from "../index.js";
import { logMessages, setUpEngine, type EngineEnv } from "../../test/engine-env.js";

/** logPrints (issue 16 part 5): console output inside a run becomes lines of the run's log. */
describe("logPrints", () => {
  let env: EngineEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  const printsQuietly = task({ name: "prints-quietly", logPrints: false }, () => console.log("quiet task print"));
  const printsInherited = task("prints-inherited", (n: number) => console.log("task print %d", n));
  const printsOwn = task({ name: "prints-own", logPrints: true }, () => console.error("task error print"));
  const child = flow("printing-child", async () => console.warn("child warning print"));

  const printing = flow({ name: "printing", logPrints: true }, async () => {
    console.log("flow print", { rows: 2 });
    console.error("flow error print");
    await printsInherited(7);
    await printsQuietly();
    await child();
  });
  const plain = flow("plain", async () => {
    console.log("plain print");
    await printsOwn();
  });

  it("sends console.log/error/warn of the flow, its tasks and subflows to the run's log at INFO/ERROR/WARNING; a task may opt out", async () => {
    env = await setUpEngine("in-process sqlite", {});
    const outcome = await runFlow(printing, {});
    expect(outcome.state.type).toBe("COMPLETED");
    const logs = await logMessages(env.client, outcome.flowRunId);
    const prints = logs.filter((l) => l.name === "baton.print").map((l) => [l.level, l.message, l.task_run_id !== null]);
    expect(prints).toEqual([
      [20, "flow print { rows: 2 }", false],
      [40, "flow error print", false],
      [20, "task print 7", true],
    ]);
    expect(logs.some((l) => l.message.includes("quiet task print"))).toBe(false);
    const subflowRun = (await env.client.listFlowRuns({ flow_name: "printing-child" })).items[0]!;
    expect((await logMessages(env.client, subflowRun.id)).filter((l) => l.name === "baton.print").map((l) => [l.level, l.message])).toEqual([[30, "child warning print"]]);
  });

  it("is off by default; a task's own logPrints turns it on for that task; BATON_LOGGING_LOG_PRINTS=true turns it on for every run", async () => {
    env = await setUpEngine("in-process sqlite", {});
    const off = await runFlow(plain, {});
    expect((await logMessages(env.client, off.flowRunId)).filter((l) => l.name === "baton.print").map((l) => l.message)).toEqual(["task error print"]);
    await env.close();
    env = await setUpEngine("in-process sqlite", { BATON_LOGGING_LOG_PRINTS: "true" });
    const on = await runFlow(plain, {});
    expect((await logMessages(env.client, on.flowRunId)).filter((l) => l.name === "baton.print").map((l) => l.message)).toEqual(["plain print", "task error print"]);
  });
});
