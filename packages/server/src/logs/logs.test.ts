import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("logs on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("writes a batch and pages through it oldest first, so a follower can poll with the cursor", async () => {
    const run = await newFlowRun(app);
    const base = Date.now();
    const lines = Array.from({ length: 25 }, (_, n) => ({
      flow_run_id: run.id,
      level: n % 5 === 0 ? 40 : 20,
      message: `line ${n}`,
      // Out of order on purpose: the server sorts by time.
      timestamp: new Date(base + (n % 2 === 0 ? n : n + 100)).toISOString(),
    }));
    expect((await app.api("POST", "/logs", lines)).body).toEqual({ written: 25 });
    const messages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { message: string }[]; next_cursor: string | null } } = await app.api("GET", `/logs?flow_run_id=${run.id}&limit=10${cursor ? `&cursor=${cursor}` : ""}`);
      messages.push(...page.body.items.map((l) => l.message));
      cursor = page.body.next_cursor;
    } while (cursor);
    const expected = [...lines].sort((a, b) => a.timestamp.localeCompare(b.timestamp)).map((l) => l.message);
    expect(messages).toEqual(expected);
    const errors = (await app.api("GET", `/logs?flow_run_id=${run.id}&min_level=40`)).body.items;
    expect(errors).toHaveLength(5);
    const last = (await app.api("GET", `/logs?flow_run_id=${run.id}&limit=25`)).body;
    expect(last.next_cursor).toBeNull();
  });

  it("keeps a line with a NUL character in it", async () => {
    const run = await newFlowRun(app);
    const answer = await app.api("POST", "/logs", [{ flow_run_id: run.id, level: 20, message: "binary\u0000garbage", timestamp: new Date().toISOString() }]);
    expect(answer).toEqual({ status: 201, body: { written: 1 } });
    const [line] = (await app.api("GET", `/logs?flow_run_id=${run.id}`)).body.items;
    expect(line.message).toMatch(/^binary.garbage$/);
  });

  it("filters by task run", async () => {
    const run = await newFlowRun(app);
    const taskRunId = uuidv7();
    const now = new Date().toISOString();
    await app.api("POST", "/logs", [
      { flow_run_id: run.id, level: 20, message: "flow", timestamp: now },
      { flow_run_id: run.id, task_run_id: taskRunId, level: 20, message: "task", timestamp: now },
    ]);
    const items = (await app.api("GET", `/logs?flow_run_id=${run.id}&task_run_id=${taskRunId}`)).body.items;
    expect(items.map((l: { message: string }) => l.message)).toEqual(["task"]);
  });

  it("refuses logs of an unknown flow run and a list without a flow run", async () => {
    const missing = uuidv7();
    const answer = await app.api("POST", "/logs", [{ flow_run_id: missing, level: 20, message: "x", timestamp: new Date().toISOString() }]);
    expect(answer).toMatchObject({ status: 404, body: { code: "FlowRunNotFound" } });
    const list = await app.api("GET", "/logs");
    expect(list).toMatchObject({ status: 422, body: { issues: [{ path: "query.flow_run_id" }] } });
  });
});
