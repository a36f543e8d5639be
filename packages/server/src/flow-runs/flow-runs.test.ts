import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("flow runs on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("creates a run PENDING with a generated name, registering its flow, and reads it back", async () => {
    const created = await newFlowRun(app, { flow_name: "create-flow", parameters: { limit: 2 }, tags: ["etl"] });
    expect(created).toMatchObject({ flow_name: "create-flow", state_type: "PENDING", state_name: "Pending", parameters: { limit: 2 }, tags: ["etl"], run_count: 0 });
    expect(created.name).toMatch(/^[a-z]+-[a-z]+$/);
    const read = await app.api("GET", `/flow_runs/${created.id}`);
    expect(read).toEqual({ status: 200, body: created });
    const flow = await app.api("GET", `/flows/${created.flow_id}`);
    expect(flow.body.name).toBe("create-flow");
    const again = await newFlowRun(app, { flow_name: "create-flow" });
    expect(again.flow_id).toBe(created.flow_id);
  });

  it("returns the same run when a client-chosen id is sent twice", async () => {
    const id = uuidv7();
    const first = await newFlowRun(app, { id, name: "once" });
    const second = await app.api("POST", "/flow_runs", { id, flow_name: "etl-flow", name: "once" });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first);
    const states = await app.api("GET", `/flow_runs/${id}/states`);
    expect(states.body.items).toHaveLength(1);
    const other = await app.api("POST", "/flow_runs", { id, flow_name: "another-flow" });
    expect(other.status).toBe(409);
  });

  it("creates one run when the same request races with itself", async () => {
    const id = uuidv7();
    const answers = await Promise.all([1, 2, 3].map(() => app.api("POST", "/flow_runs", { id, flow_name: `race-${kind}` })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect((await app.api("GET", `/flow_runs/${id}/states`)).body.items).toHaveLength(1);
  });

  it("starts from a given first state", async () => {
    const scheduledTime = secondsFromNow(3600);
    const run = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: scheduledTime } } });
    expect(run).toMatchObject({ state_type: "SCHEDULED", expected_start_time: scheduledTime, state: { state_details: { scheduled_time: scheduledTime } } });
  });

  it("pages through runs newest first with a cursor, and oldest first on request", async () => {
    const flow_name = `paging-${kind}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await newFlowRun(app, { flow_name })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/flow_runs?flow_name=${flow_name}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await app.api("GET", query);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((r: { id: string }) => r.id));
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const ascending = await app.api("GET", `/flow_runs?flow_name=${flow_name}&sort=created_asc&limit=100`);
    expect(ascending.body.items.map((r: { id: string }) => r.id)).toEqual(ids);
    expect(ascending.body.next_cursor).toBeNull();
  });

  it("filters by state type or name, flow, parent and tag", async () => {
    const flow_name = `filters-${kind}`;
    const parent = await newFlowRun(app, { flow_name });
    const child = await newFlowRun(app, { flow_name, parent_flow_run_id: parent.id, tags: ["nightly", "etl"] });
    await app.api("POST", `/flow_runs/${child.id}/set_state`, { state: { type: "RUNNING" } });
    await app.api("POST", `/flow_runs/${child.id}/set_state`, { state: { type: "FAILED" } });
    const crashed = await newFlowRun(app, { flow_name, state: { type: "CRASHED" } });
    const late = await newFlowRun(app, { flow_name, state: { type: "SCHEDULED", name: "Late" } });
    const ids = async (query: string) => (await app.api("GET", `/flow_runs?flow_name=${flow_name}&${query}`)).body.items.map((r: { id: string }) => r.id).sort();

    expect(await ids("state=FAILED,CRASHED")).toEqual([child.id, crashed.id].sort());
    expect(await ids("state=failed")).toEqual([child.id]);
    expect(await ids("state=Late")).toEqual([late.id]);
    expect(await ids(`parent_flow_run_id=${parent.id}`)).toEqual([child.id]);
    expect(await ids("tag=nightly")).toEqual([child.id]);
    expect(await ids("tag=nothing")).toEqual([]);
    expect(await ids(`flow_id=${parent.flow_id}`)).toHaveLength(4);
  });

  it("never returns an unbounded list", async () => {
    const tooMany = await app.api("GET", "/flow_runs?limit=100000");
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.issues[0].path).toBe("query.limit");
  });

  it("answers 404 naming the object for unknown IDs", async () => {
    const id = uuidv7();
    for (const [method, path] of [
      ["GET", `/flow_runs/${id}`],
      ["GET", `/flow_runs/${id}/states`],
      ["POST", `/flow_runs/${id}/heartbeat`],
      ["DELETE", `/flow_runs/${id}`],
    ] as const) {
      const answer = await app.api(method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.code).toBe("FlowRunNotFound");
      expect(answer.body.message).toContain(id);
    }
    const setState = await app.api("POST", `/flow_runs/${id}/set_state`, { state: { type: "RUNNING" } });
    expect(setState.body.code).toBe("FlowRunNotFound");
    const flow = await app.api("GET", `/flows/${id}`);
    expect(flow).toMatchObject({ status: 404, body: { code: "FlowNotFound" } });
  });

  it("answers 422 naming each bad field, and writes nothing", async () => {
    const before = (await app.api("GET", "/flow_runs?limit=500")).body.items.length;
    const bad = await app.api("POST", "/flow_runs", { flow_name: "", parameters: "nope", surprise: 1, state: { type: "DONE" } });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("ValidationError");
    const paths = bad.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["body.flow_name", "body.parameters", "body.surprise", "body.state.type"]));
    expect(bad.body.message).toContain("body.state.type");
    const setState = await app.api("POST", `/flow_runs/${uuidv7()}/set_state`, { state: { type: "BOGUS" } });
    expect(setState.status).toBe(422);
    expect(setState.body.issues[0].path).toBe("body.state.type");
    const badId = await app.api("GET", "/flow_runs/not-a-uuid");
    expect(badId).toMatchObject({ status: 422, body: { issues: [{ path: "params.id" }] } });
    const badCursor = await app.api("GET", "/flow_runs?cursor=garbage");
    expect(badCursor).toMatchObject({ status: 422, body: { issues: [{ path: "query.cursor" }] } });
    expect((await app.api("GET", "/flow_runs?limit=500")).body.items.length).toBe(before);
  });

  it("deletes a run with its states, task runs, logs and stored results (not another run's, not the cache's)", async () => {
    const run = await newFlowRun(app);
    const other = await newFlowRun(app);
    const content = { content_base64: Buffer.from("42").toString("base64") };
    for (const path of [`/results/${run.id}/a`, `/results/${run.id}/b`, `/results/${other.id}/a`, "/results/cache/k"]) expect((await app.api("PUT", path, content)).status).toBe(200);
    const taskRunId = uuidv7();
    const report = await app.api("POST", "/reports", {
      task_runs: [{ id: taskRunId, flow_run_id: run.id, task_key: "t", name: "t-0", dynamic_key: "0" }],
      task_run_states: [{ task_run_id: taskRunId, state: { type: "RUNNING" } }],
      logs: [{ flow_run_id: run.id, level: 20, message: "hello", timestamp: new Date().toISOString() }],
    });
    expect(report.status).toBe(200);
    expect((await app.api("DELETE", `/flow_runs/${run.id}`)).status).toBe(204);
    expect((await app.api("GET", `/flow_runs/${run.id}`)).status).toBe(404);
    expect((await app.api("GET", `/task_runs/${taskRunId}`)).status).toBe(404);
    expect((await app.api("GET", `/logs?flow_run_id=${run.id}`)).body.items).toEqual([]);
    const leftover = await app.db.db.selectFrom("task_run_states").select("id").where("task_run_id", "=", taskRunId).execute();
    expect(leftover).toEqual([]);
    expect((await app.api("GET", `/results/${run.id}/a`)).status).toBe(404);
    expect((await app.api("GET", `/results/${run.id}/b`)).status).toBe(404);
    expect((await app.api("GET", `/results/${other.id}/a`)).status).toBe(200);
    expect((await app.api("GET", "/results/cache/k")).status).toBe(200);
  });
});
