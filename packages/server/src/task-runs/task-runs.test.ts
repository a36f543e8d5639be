import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("task runs on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  const taskRun = (flowRunId: string, extra: Record<string, unknown> = {}) => ({ id: uuidv7(), flow_run_id: flowRunId, task_key: "extract", name: "extract-0", dynamic_key: "0", ...extra });

  it("creates a task run PENDING, idempotently, and lists a flow run's task runs oldest first", async () => {
    const run = await newFlowRun(app);
    const body = taskRun(run.id, { tags: ["io"] });
    const created = await app.api("POST", "/task_runs", body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: body.id, state_type: "PENDING", tags: ["io"], max_retries: 0, cache_key: null });
    expect((await app.api("POST", "/task_runs", body)).body).toEqual(created.body);
    const second = await app.api("POST", "/task_runs", taskRun(run.id, { name: "extract-1", dynamic_key: "1" }));
    const third = await app.api("POST", "/task_runs", taskRun(run.id, { name: "extract-2", dynamic_key: "2" }));
    const page1 = await app.api("GET", `/task_runs?flow_run_id=${run.id}&limit=2`);
    const page2 = await app.api("GET", `/task_runs?flow_run_id=${run.id}&limit=2&cursor=${page1.body.next_cursor}`);
    expect([...page1.body.items, ...page2.body.items].map((t: { id: string }) => t.id)).toEqual([body.id, second.body.id, third.body.id]);
    expect(page2.body.next_cursor).toBeNull();
  });

  it("retries a FAILED task run while it has retries left, with its delays", async () => {
    const run = await newFlowRun(app);
    const body = taskRun(run.id, { max_retries: 1, retry_delay_seconds: [0] });
    await app.api("POST", "/task_runs", body);
    const set = async (type: string) => (await app.api("POST", `/task_runs/${body.id}/set_state`, { state: { type } })).body;
    expect((await set("RUNNING")).status).toBe("ACCEPT");
    expect(await set("FAILED")).toMatchObject({ status: "REJECT", state: { type: "SCHEDULED", name: "AwaitingRetry" } });
    expect((await set("RUNNING")).status).toBe("ACCEPT");
    expect((await set("RUNNING")).status).toBe("ABORT");
    expect(await set("FAILED")).toMatchObject({ status: "ACCEPT", state: { type: "FAILED" } });
    expect((await set("COMPLETED")).status).toBe("ABORT");
    const read = (await app.api("GET", `/task_runs/${body.id}`)).body;
    expect(read).toMatchObject({ run_count: 2, state_type: "FAILED" });
    const states = (await app.api("GET", `/task_runs/${body.id}/states`)).body.items.map((s: { name: string }) => s.name);
    expect(states).toEqual(["Pending", "Running", "AwaitingRetry", "Running", "Failed"]);
    const failed = (await app.api("GET", `/task_runs?flow_run_id=${run.id}&state=FAILED`)).body.items;
    expect(failed.map((t: { id: string }) => t.id)).toEqual([body.id]);
  });

  it("answers 404 naming the task run or the flow run", async () => {
    const id = uuidv7();
    expect((await app.api("GET", `/task_runs/${id}`)).body).toMatchObject({ code: "TaskRunNotFound" });
    expect((await app.api("GET", `/task_runs/${id}/states`)).status).toBe(404);
    expect((await app.api("POST", `/task_runs/${id}/set_state`, { state: { type: "RUNNING" } })).body.code).toBe("TaskRunNotFound");
    const orphan = await app.api("POST", "/task_runs", taskRun(id));
    expect(orphan).toMatchObject({ status: 404, body: { code: "FlowRunNotFound" } });
    expect(orphan.body.message).toContain(id);
  });
});
