import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("run reports on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const taskRun = (flowRunId: string, n: number) => ({ id: uuidv7(), flow_run_id: flowRunId, task_key: "load", name: `load-${n}`, dynamic_key: String(n) });

  it("records task runs, their states and logs in one request", async () => {
    const run = await newFlowRun(app);
    const tasks = Array.from({ length: 50 }, (_, n) => taskRun(run.id, n));
    const answer = await app.api("POST", "/reports", {
      task_runs: tasks,
      task_run_states: tasks.flatMap((t, n) => [
        { task_run_id: t.id, state: { type: "PENDING", timestamp: at(n * 3) } },
        { task_run_id: t.id, state: { type: "RUNNING", timestamp: at(n * 3 + 1) } },
        { task_run_id: t.id, state: { type: "COMPLETED", timestamp: at(n * 3 + 2), data: { result: n } } },
      ]),
      logs: tasks.map((t, n) => ({ flow_run_id: run.id, task_run_id: t.id, level: 20, message: `Loaded item: ${n}`, timestamp: at(n) })),
    });
    expect(answer).toEqual({ status: 200, body: { task_runs_created: 50, states_accepted: 150, logs_written: 50, rejected: [] } });
    const listed = (await app.api("GET", `/task_runs?flow_run_id=${run.id}&limit=100`)).body.items;
    expect(listed).toHaveLength(50);
    expect(listed[7]).toMatchObject({ name: "load-7", state_type: "COMPLETED", run_count: 1, state: { data: { result: 7 } } });
    expect(listed[7].start_time < listed[7].end_time).toBe(true);
    const states = (await app.api("GET", `/task_runs/${tasks[7]!.id}/states`)).body.items.map((s: { type: string }) => s.type);
    expect(states).toEqual(["PENDING", "RUNNING", "COMPLETED"]);
  });

  it("applies later states to task runs of earlier reports, and lists refused transitions", async () => {
    const run = await newFlowRun(app);
    const [a, b] = [taskRun(run.id, 0), taskRun(run.id, 1)];
    await app.api("POST", "/reports", {
      task_runs: [a, b],
      task_run_states: [
        { task_run_id: a.id, state: { type: "RUNNING", timestamp: at(0) } },
        { task_run_id: b.id, state: { type: "RUNNING", timestamp: at(0) } },
      ],
    });
    const unknown = uuidv7();
    const answer = await app.api("POST", "/reports", {
      task_run_states: [
        { task_run_id: a.id, state: { type: "COMPLETED", timestamp: at(5) } },
        { task_run_id: a.id, state: { type: "RUNNING", timestamp: at(6) } },
        { task_run_id: b.id, state: { type: "SCHEDULED", name: "AwaitingRetry", timestamp: at(5), state_details: { scheduled_time: at(10) } } },
        { task_run_id: b.id, state: { type: "RUNNING", name: "Retrying", timestamp: at(11) } },
        { task_run_id: b.id, state: { type: "FAILED", timestamp: at(12) } },
        { task_run_id: unknown, state: { type: "RUNNING" } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ task_runs_created: 0, states_accepted: 4, logs_written: 0 });
    expect(answer.body.rejected).toEqual([
      { task_run_id: a.id, reason: expect.stringContaining("terminal states are final") },
      { task_run_id: unknown, reason: expect.stringContaining(unknown) },
    ]);
    const readA = (await app.api("GET", `/task_runs/${a.id}`)).body;
    const readB = (await app.api("GET", `/task_runs/${b.id}`)).body;
    expect(readA).toMatchObject({ state_type: "COMPLETED", run_count: 1 });
    // The engine decides task retries itself: FAILED after a retry is not turned into another retry.
    expect(readB).toMatchObject({ state_type: "FAILED", run_count: 2 });
    const names = (await app.api("GET", `/task_runs/${b.id}/states`)).body.items.map((s: { name: string }) => s.name);
    expect(names).toEqual(["Running", "AwaitingRetry", "Retrying", "Failed"]);
  });

  it("serializes concurrent reports ending the same task runs: each ends once, no deadlock", async () => {
    const run = await newFlowRun(app);
    const tasks = Array.from({ length: 100 }, (_, n) => taskRun(run.id, n));
    await app.api("POST", "/reports", { task_runs: tasks, task_run_states: tasks.map((t) => ({ task_run_id: t.id, state: { type: "RUNNING" } })) });
    const end = (type: string, order: typeof tasks) => app.api("POST", "/reports", { task_run_states: order.map((t) => ({ task_run_id: t.id, state: { type } })) });
    const [completed, failed] = await Promise.all([end("COMPLETED", tasks), end("FAILED", [...tasks].reverse())]);
    expect([completed.status, failed.status]).toEqual([200, 200]);
    expect(completed.body.states_accepted + failed.body.states_accepted).toBe(100);
    expect(completed.body.rejected.length + failed.body.rejected.length).toBe(100);
    const ended = (await app.api("GET", `/task_runs?flow_run_id=${run.id}&state=COMPLETED,FAILED&limit=500`)).body.items;
    expect(ended).toHaveLength(100);
  });

  it("keeps a task run once when a report is sent again", async () => {
    const run = await newFlowRun(app);
    const t = taskRun(run.id, 0);
    const report = { task_runs: [t], task_run_states: [{ task_run_id: t.id, state: { type: "RUNNING" } }], logs: [{ id: uuidv7(), flow_run_id: run.id, level: 20, message: "once", timestamp: at(0) }] };
    await app.api("POST", "/reports", report);
    const again = await app.api("POST", "/reports", report);
    expect(again.body).toMatchObject({ task_runs_created: 0, logs_written: 0 });
    expect((await app.api("GET", `/task_runs?flow_run_id=${run.id}`)).body.items).toHaveLength(1);
    expect((await app.api("GET", `/logs?flow_run_id=${run.id}`)).body.items).toHaveLength(1);
  });

  it("writes nothing when a flow run does not exist, and answers 404 naming it", async () => {
    const run = await newFlowRun(app);
    const missing = uuidv7();
    const t = taskRun(run.id, 0);
    const answer = await app.api("POST", "/reports", {
      task_runs: [t],
      task_run_states: [{ task_run_id: t.id, state: { type: "RUNNING" } }],
      logs: [{ flow_run_id: missing, level: 20, message: "lost", timestamp: at(0) }],
    });
    expect(answer).toMatchObject({ status: 404, body: { code: "FlowRunNotFound" } });
    expect(answer.body.message).toContain(missing);
    expect((await app.api("GET", `/task_runs/${t.id}`)).status).toBe(404);
  });

  it("answers 422 naming the field of a bad entry", async () => {
    const run = await newFlowRun(app);
    const answer = await app.api("POST", "/reports", { task_runs: [taskRun(run.id, 0), { ...taskRun(run.id, 1), task_key: "" }] });
    expect(answer.status).toBe(422);
    expect(answer.body.issues.map((i: { path: string }) => i.path)).toEqual(["body.task_runs.1.task_key"]);
  });
});
