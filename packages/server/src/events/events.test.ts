import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { openSse } from "./sse-client.js";
import { waitFor } from "../../../../test/helpers/cli.js";

describe.each(DATABASE_KINDS)("live updates (GET /api/events) on %s", (kind) => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await openTestApp(kind);
    base = await app.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => app.cleanup());

  it("streams a run's state changes and its log lines, and nothing of other runs", async () => {
    const run = await newFlowRun(app, { flow_name: `events-${kind}` });
    const other = await newFlowRun(app, { flow_name: `events-${kind}` });
    const sse = await openSse(`${base}/api/events?types=flow_run,log&flow_run_id=${run.id}`);
    try {
      expect(sse.status).toBe(200);
      await sse.waitFor((f) => f.event === "ready", "ready");
      await app.api("POST", `/flow_runs/${other.id}/set_state`, { state: { type: "RUNNING" } });
      expect((await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } })).status).toBe(200);
      const running = await sse.waitFor((f) => f.event === "flow_run" && f.data.state_type === "RUNNING", "flow_run RUNNING");
      expect(running.data).toMatchObject({ id: run.id, state_name: "Running", flow_id: run.flow_id, deployment_id: null, work_pool_name: null });
      expect(running.data.timestamp).toMatch(/Z$/);
      const logs = [1, 2].map((n) => ({ flow_run_id: run.id, name: "etl", level: 20, message: `line ${n}`, timestamp: new Date().toISOString() }));
      await app.api("POST", "/logs", [...logs, { ...logs[0], flow_run_id: other.id, message: "not mine" }]);
      await sse.waitFor((f) => f.event === "log" && f.data.message === "line 2", "log line 2");
      expect(sse.frames.filter((f) => f.event === "log").map((f) => f.data.message)).toEqual(["line 1", "line 2"]);
      expect(sse.frames.find((f) => f.event === "log")!.data).toMatchObject({ flow_run_id: run.id, task_run_id: null, name: "etl", level: 20 });
      await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "COMPLETED" } });
      await sse.waitFor((f) => f.event === "flow_run" && f.data.state_type === "COMPLETED", "flow_run COMPLETED");
      expect(sse.frames.some((f) => JSON.stringify(f.data).includes(other.id) || JSON.stringify(f.data).includes("not mine"))).toBe(false);
    } finally {
      sse.close();
    }
  });

  it("streams every run's states by default, with worker heartbeats of a pool", async () => {
    await app.api("POST", "/work_pools", { name: `events-pool-${kind}`, type: "process" });
    const sse = await openSse(`${base}/api/events`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      const run = await newFlowRun(app, { flow_name: `any-${kind}` });
      await sse.waitFor((f) => f.event === "flow_run" && f.data.id === run.id && f.data.state_type === "PENDING", "the new run's first state");
      const beat = await app.api("POST", `/work_pools/events-pool-${kind}/workers/heartbeat`, { name: "w1" });
      expect(beat.status).toBe(200);
      const worker = await sse.waitFor((f) => f.event === "worker", "worker heartbeat");
      expect(worker.data).toMatchObject({ name: "w1", work_pool_name: `events-pool-${kind}`, status: "ONLINE" });
      expect(sse.frames.some((f) => f.event === "log")).toBe(false);
    } finally {
      sse.close();
    }
  });

  it("tells a run's stream that its task runs changed, once per commit", async () => {
    const run = await newFlowRun(app, { flow_name: `tasks-${kind}` });
    const other = await newFlowRun(app, { flow_name: `tasks-${kind}` });
    const sse = await openSse(`${base}/api/events?types=task_runs&flow_run_id=${run.id}`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      const task = { id: uuidv7(), flow_run_id: run.id, task_key: "extract", name: "extract-0", dynamic_key: "0" };
      expect((await app.api("POST", "/task_runs", task)).status).toBe(201);
      await sse.waitFor((f) => f.event === "task_runs", "the new task run");
      await app.api("POST", "/task_runs", { ...task, id: uuidv7(), flow_run_id: other.id });
      expect((await app.api("POST", `/task_runs/${task.id}/set_state`, { state: { type: "RUNNING" } })).status).toBe(200);
      await sse.waitFor((f) => f.event === "task_runs" && sse.frames.filter((g) => g.event === "task_runs").length === 2, "the task run's RUNNING");
      expect(sse.frames.filter((f) => f.event === "task_runs").map((f) => f.data)).toEqual([
        { flow_run_id: run.id, count: 1 },
        { flow_run_id: run.id, count: 1 },
      ]);
    } finally {
      sse.close();
    }
  });

  it("refuses log events without a run, and unknown types, naming the fix", async () => {
    const noRun = await app.api("GET", "/events?types=log");
    expect(noRun.status).toBe(422);
    expect(JSON.stringify(noRun.body)).toContain("flow_run_id");
    const unknown = await app.api("GET", "/events?types=flow_run,states");
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain("unknown event type states");
  });
});

describe("an open event stream and the server's close", () => {
  it("does not hold the close: streams are ended first", async () => {
    const app = await openTestApp("sqlite");
    const base = await app.app.listen({ port: 0, host: "127.0.0.1" });
    const sse = await openSse(`${base}/api/events`);
    await sse.waitFor((f) => f.event === "ready", "ready");
    let ended = false;
    void sse.ended.then(() => (ended = true));
    const closed = app.cleanup();
    // A close that waited for open streams would never end this one (it never ends on its own).
    await waitFor(() => ended, "the server's close to end the open event stream");
    await closed;
  });
});

describe("the event stream's permission", () => {
  it("needs a credential like any read route: 401 with the fix, not a stream", async () => {
    const app = await openTestApp("sqlite", { auth: { enabled: true } });
    try {
      const answer = await app.app.inject({ method: "GET", url: "/api/events", headers: { accept: "text/event-stream" } });
      expect(answer.statusCode).toBe(401);
      expect(answer.headers["content-type"]).toMatch(/application\/json/);
      expect(answer.json()).toMatchObject({ code: "Unauthorized" });
    } finally {
      await app.cleanup();
    }
  });
});
