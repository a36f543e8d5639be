import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeSharedClient, createClientFromSettings, loadSettings, type BatonClient } from "../index.js";
import { DATABASE_KINDS } from "../../../../test/helpers/databases.js";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { waitFor } from "../../../../test/helpers/cli.js";
import { flowRunStateNames, logMessages, startEngineServer, taskRunsOf } from "../../test/engine-env.js";
import { runFlowProcess } from "../../test/child-process.js";

const HEARTBEAT_TIMEOUT_S = 3;

describe.each(DATABASE_KINDS)("a flow process that dies (%s)", (kind) => {
  let client: BatonClient;
  let apiUrl: string;
  let home: ReturnType<typeof tempDir>;
  let stop: () => Promise<void>;
  beforeEach(async () => {
    home = tempDir("baton-crash-");
    // A short heartbeat timeout so the server's crashed-run detection acts within the test; long
    // enough that 0.2 s heartbeats of a process slowed by a busy machine still arrive within it.
    const started = await startEngineServer(kind, { heartbeatTimeoutSeconds: HEARTBEAT_TIMEOUT_S, servicesLoopSeconds: 0.2 });
    apiUrl = started.apiUrl;
    client = await createClientFromSettings(loadSettings({ BATON_HOME: home.path, BATON_API_URL: apiUrl }));
    stop = async () => {
      await client.close();
      await started.server.close();
      await started.db.drop();
      home.remove();
    };
  });
  afterEach(async () => {
    await closeSharedClient();
    await stop();
  });

  const start = (exportName: string) =>
    runFlowProcess("crash-flow.ts", exportName, { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_FLOW_RUN_HEARTBEAT_SECONDS: "0.2" });

  it("SIGTERM: flushes what was logged, marks the task run and the flow run Crashed naming the signal, exits 143", async () => {
    const proc = start("crashFlow");
    await proc.waitForOutput("READY");
    const flowRunId = /CREATED (\S+)/.exec(proc.stdout())![1]!;
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(143);

    const run = await client.readFlowRun(flowRunId);
    expect(run.state_type).toBe("CRASHED");
    expect(run.state.message).toContain("SIGTERM");
    expect(await flowRunStateNames(client, flowRunId)).toEqual(["PENDING/Pending", "RUNNING/Running", "CRASHED/Crashed"]);
    const messages = (await logMessages(client, flowRunId)).map((l) => l.message);
    expect(messages).toEqual(expect.arrayContaining(["step 1 done", "step 2 done", "about to hang"]));
    expect(messages.indexOf("step 1 done")).toBeLessThan(messages.indexOf("about to hang"));
    expect(messages.at(-1)).toContain("received SIGTERM");
    const tasks = await taskRunsOf(client, flowRunId);
    expect(tasks.map((t) => `${t.name}:${t.state_type}`)).toEqual(["step-0:COMPLETED", "step-1:COMPLETED", "hang-0:CRASHED"]);
    expect(proc.stderr()).toMatch(/\| INFO {4}\| Task run 'step-0' - step 1 done/);
  });

  it("an uncaught error outside flow code: the run is Crashed with the error and the process exits 1", async () => {
    const proc = start("uncaughtFlow");
    await proc.waitForOutput("READY");
    expect((await proc.exited).code).toBe(1);
    const flowRunId = /CREATED (\S+)/.exec(proc.stdout())![1]!;
    const run = await client.readFlowRun(flowRunId);
    expect(run.state_type).toBe("CRASHED");
    expect(run.state.data?.error?.message).toBe("thrown by a timer");
    expect(run.state.data?.error?.stack).toMatch(/crash-flow\.ts:\d+/);
    // Cleaned like a failure's stack: no Node internals (the timer's frames), no file: URLs.
    expect(run.state.data?.error?.stack).not.toMatch(/node:internal|file:\/\//);
    expect(proc.stderr()).toContain("thrown by a timer");
  });

  it("an unhandled rejection: the run is Crashed with the error and the process exits 1", async () => {
    const proc = start("unhandledFlow");
    await proc.waitForOutput("READY");
    expect((await proc.exited).code).toBe(1);
    const flowRunId = /CREATED (\S+)/.exec(proc.stdout())![1]!;
    const run = await client.readFlowRun(flowRunId);
    expect(run.state_type).toBe("CRASHED");
    expect(run.state.message).toContain("nobody awaited this");
    const tasks = await taskRunsOf(client, flowRunId);
    expect(tasks.map((t) => t.state_type)).toEqual(["COMPLETED", "CRASHED"]);
  });

  it("SIGKILL cannot be caught: the server marks the silent run Crashed once its heartbeats stop", async () => {
    const proc = start("crashFlow");
    await proc.waitForOutput("READY");
    const flowRunId = /CREATED (\S+)/.exec(proc.stdout())![1]!;
    // Heartbeats keep it RUNNING past the server's timeout while the process lives: wait for a
    // heartbeat later than one timeout (and a services pass) after it started.
    const alive = await waitFor(async () => {
      const r = await client.readFlowRun(flowRunId);
      if (r.state_type !== "RUNNING") return r;
      return Date.parse(r.heartbeat_time ?? "") > Date.parse(r.start_time!) + HEARTBEAT_TIMEOUT_S * 1000 + 500 ? r : undefined;
    }, "a heartbeat one timeout after the run started");
    expect(alive.state_type).toBe("RUNNING");
    proc.child.kill("SIGKILL");
    await proc.exited;
    const run = await waitFor(async () => {
      const r = await client.readFlowRun(flowRunId);
      return r.state_type === "CRASHED" ? r : undefined;
    }, "the server to mark the killed run Crashed");
    expect(run.state_type).toBe("CRASHED");
  });

  it("SIGKILL while paused (pauseFlowRun): the paused run heartbeats while it waits, and is marked Crashed, saying so, once they stop", async () => {
    const proc = start("pausedFlow");
    const flowRunId = await waitFor(() => /CREATED (\S+)/.exec(proc.stdout())?.[1], "the run to be created");
    const paused = await waitFor(async () => {
      const r = await client.readFlowRun(flowRunId);
      return r.state_type === "PAUSED" ? r : undefined;
    }, "the run to be paused");
    // Alive and paused past the server's timeout: its heartbeats keep it Paused, not Crashed.
    const alive = await waitFor(async () => {
      const r = await client.readFlowRun(flowRunId);
      if (r.state_type !== "PAUSED") return r;
      return Date.parse(r.heartbeat_time ?? "") > Date.parse(paused.state.timestamp) + HEARTBEAT_TIMEOUT_S * 1000 + 500 ? r : undefined;
    }, "a heartbeat one timeout after the run paused");
    expect(alive.state_type).toBe("PAUSED");
    proc.child.kill("SIGKILL");
    await proc.exited;
    const run = await waitFor(async () => {
      const r = await client.readFlowRun(flowRunId);
      return r.state_type !== "PAUSED" ? r : undefined;
    }, "the server to mark the killed paused run Crashed");
    expect(run.state_type).toBe("CRASHED");
    expect(run.state.message).toContain("the process running this flow died while the run was paused");
    expect(await flowRunStateNames(client, flowRunId)).toEqual(["PENDING/Pending", "RUNNING/Running", "PAUSED/Paused", "CRASHED/Crashed"]);
  });
});
