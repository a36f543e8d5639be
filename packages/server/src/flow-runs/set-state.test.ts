import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("flow run orchestration through the API on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  const propose = async (id: string, state: Record<string, unknown>, force?: boolean) => {
    const answer = await app.api("POST", `/flow_runs/${id}/set_state`, { state, ...(force === undefined ? {} : { force }) });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it("records a full run: start and end times, run count and the whole history", async () => {
    const run = await newFlowRun(app);
    expect((await propose(run.id, { type: "RUNNING" })).status).toBe("ACCEPT");
    const completed = await propose(run.id, { type: "COMPLETED", data: { result: { rows: 3 } } });
    expect(completed).toMatchObject({ status: "ACCEPT", state: { type: "COMPLETED", name: "Completed", data: { result: { rows: 3 } } } });
    const read = (await app.api("GET", `/flow_runs/${run.id}`)).body;
    expect(read).toMatchObject({ state_type: "COMPLETED", run_count: 1 });
    expect(read.start_time).not.toBeNull();
    expect(read.end_time).toBe(read.state.timestamp);
    expect(read.start_time <= read.end_time).toBe(true);
    const history = (await app.api("GET", `/flow_runs/${run.id}/states`)).body;
    expect(history.items.map((s: { type: string }) => s.type)).toEqual(["PENDING", "RUNNING", "COMPLETED"]);
  });

  it("pages through a long state history", async () => {
    const run = await newFlowRun(app);
    for (let i = 0; i < 5; i++) await propose(run.id, { type: "PAUSED" }).then(() => propose(run.id, { type: "RUNNING" }));
    const first = (await app.api("GET", `/flow_runs/${run.id}/states?limit=4`)).body;
    const second = (await app.api("GET", `/flow_runs/${run.id}/states?limit=4&cursor=${first.next_cursor}`)).body;
    const third = (await app.api("GET", `/flow_runs/${run.id}/states?limit=4&cursor=${second.next_cursor}`)).body;
    expect([...first.items, ...second.items, ...third.items]).toHaveLength(11);
    expect(third.next_cursor).toBeNull();
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.run_count).toBe(5);
  });

  it("makes a run wait for its scheduled time", async () => {
    const run = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(120) } } });
    const answer = await propose(run.id, { type: "RUNNING" });
    expect(answer.status).toBe("WAIT");
    expect(answer.details.delay_seconds).toBeGreaterThan(100);
    expect(answer.details.delay_seconds).toBeLessThanOrEqual(120);
    expect(answer.state.type).toBe("SCHEDULED");
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.state_type).toBe("SCHEDULED");
  });

  it("never lets two workers run the same run", async () => {
    const run = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-1) } } });
    const answers = await Promise.all([1, 2, 3, 4].map(() => app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } })));
    const statuses = answers.map((a) => a.body.status).sort();
    expect(statuses).toEqual(["ABORT", "ABORT", "ABORT", "ACCEPT"]);
    expect((await propose(run.id, { type: "PENDING" })).status).toBe("ABORT");
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.run_count).toBe(1);
  });

  it("schedules a retry (AwaitingRetry) for FAILED with retries left, then fails for good", async () => {
    const run = await newFlowRun(app, { empirical_policy: { retries: 1, retry_delay_seconds: [30] } });
    await propose(run.id, { type: "RUNNING" });
    const before = Date.now();
    const first = await propose(run.id, { type: "FAILED", message: "boom" });
    expect(first).toMatchObject({ status: "REJECT", state: { type: "SCHEDULED", name: "AwaitingRetry" } });
    const due = Date.parse(first.state.state_details.scheduled_time);
    expect(due - before).toBeGreaterThanOrEqual(29_000);
    expect((await propose(run.id, { type: "RUNNING" })).status).toBe("WAIT");
    // The retry is due now: an operator (or a test) moves it on.
    expect((await propose(run.id, { type: "RUNNING" }, true)).status).toBe("ACCEPT");
    const final = await propose(run.id, { type: "FAILED", message: "boom again" });
    expect(final).toMatchObject({ status: "ACCEPT", state: { type: "FAILED" } });
    const read = (await app.api("GET", `/flow_runs/${run.id}`)).body;
    expect(read).toMatchObject({ run_count: 2, state_type: "FAILED" });
    const names = (await app.api("GET", `/flow_runs/${run.id}/states`)).body.items.map((s: { name: string }) => s.name);
    expect(names).toEqual(["Pending", "Running", "AwaitingRetry", "Running", "Failed"]);
  });

  it("keeps terminal states final, except through an explicit retry", async () => {
    const run = await newFlowRun(app);
    await propose(run.id, { type: "RUNNING" });
    await propose(run.id, { type: "COMPLETED" });
    const again = await propose(run.id, { type: "RUNNING" });
    expect(again.status).toBe("ABORT");
    expect(again.details.reason).toContain("COMPLETED");
    expect(again.state.type).toBe("COMPLETED");
    const retried = await propose(run.id, { type: "SCHEDULED", name: "AwaitingRetry" }, true);
    expect(retried.status).toBe("ACCEPT");
    const read = (await app.api("GET", `/flow_runs/${run.id}`)).body;
    expect(read).toMatchObject({ state_type: "SCHEDULED", end_time: null });
  });

  it("ends a cancelling run CANCELLED", async () => {
    const run = await newFlowRun(app);
    await propose(run.id, { type: "RUNNING" });
    await propose(run.id, { type: "CANCELLING" });
    expect((await app.api("POST", `/flow_runs/${run.id}/heartbeat`)).body).toEqual({ state_type: "CANCELLING", state_name: "Cancelling" });
    const refused = await propose(run.id, { type: "RUNNING" });
    expect(refused).toMatchObject({ status: "REJECT", state: { type: "CANCELLING" } });
    const ended = await propose(run.id, { type: "COMPLETED" });
    expect(ended).toMatchObject({ status: "REJECT", state: { type: "CANCELLED", state_details: { replaced_proposed: "COMPLETED" } } });
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.state_type).toBe("CANCELLED");
  });

  it("lets a paused run go back to running, and records heartbeats", async () => {
    const run = await newFlowRun(app);
    await propose(run.id, { type: "RUNNING" });
    await propose(run.id, { type: "PAUSED" });
    expect((await propose(run.id, { type: "RUNNING" })).status).toBe("ACCEPT");
    const beat = await app.api("POST", `/flow_runs/${run.id}/heartbeat`);
    expect(beat).toEqual({ status: 200, body: { state_type: "RUNNING", state_name: "Running" } });
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.heartbeat_time).not.toBeNull();
  });
});
