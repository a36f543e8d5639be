import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";
import { failExpiredSuspensions } from "../services/expired-suspensions.js";
import { markCrashedRuns } from "../services/crashed-runs.js";

/** A suspended run (suspendFlowRun): resumed, it goes back to the queue; not resumed in time, the server fails it. */
describe.each(DATABASE_KINDS)("suspended runs on %s", (kind) => {
  let app: TestApp;
  let deploymentId: string;
  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "suspend");
    deploymentId = (await deploy(app, { name: "suspend", work_pool_name: "suspend" })).id;
  });
  afterAll(() => app.cleanup());

  /** A run claimed, started and suspended by its process, as suspendFlowRun does it. */
  async function suspended(details: Record<string, unknown>): Promise<string> {
    const run = await runOf(app, deploymentId);
    expect((await claim(app, "suspend")).map((c) => c.flow_run.id)).toEqual([run.id]);
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    const answer = await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "PAUSED", name: "Suspended", state_details: { pause_reschedule: true, pause_key: "suspend-1", ...details } } });
    expect(answer.body.status).toBe("ACCEPT");
    return run.id;
  }

  it("a resume puts it back in Scheduled without its claim, with the input stored under its key; a worker claims it again", async () => {
    const id = await suspended({ pause_timeout: secondsFromNow(600), input_schema: { type: "object", properties: { approved: { type: "boolean" } }, required: ["approved"] } });
    expect((await app.api("POST", `/flow_runs/${id}/resume`, { input: { approved: "yes" } })).status).toBe(422);
    const resumed = await app.api("POST", `/flow_runs/${id}/resume`, { input: { approved: true } });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ state_type: "SCHEDULED", state_name: "Resuming", worker_name: "w1" });
    const row = await app.db.db.selectFrom("flow_runs").select(["claim_id"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.claim_id).toBeNull();
    const input = await app.api("GET", `/results/${id}/suspend-input-suspend-1`);
    expect(JSON.parse(Buffer.from(input.body.content_base64, "base64").toString())).toEqual({ approved: true });
    expect((await claim(app, "suspend", { worker_name: "w2" })).map((c) => c.flow_run.id)).toEqual([id]);
  });

  it("without input: the stored answer is null, which tells the next process it was resumed", async () => {
    const id = await suspended({ pause_timeout: secondsFromNow(600) });
    expect((await app.api("POST", `/flow_runs/${id}/resume`, {})).body.state_name).toBe("Resuming");
    const input = await app.api("GET", `/results/${id}/suspend-input-suspend-1`);
    expect(Buffer.from(input.body.content_base64, "base64").toString()).toBe("null");
    await claim(app, "suspend");
  });

  it("an input over BATON_SERVER_RESULT_MAX_BYTES is refused with 413 naming the setting; the run stays Paused", async () => {
    const small = await openTestApp(kind, { resultMaxBytes: 2 * 1024 * 1024 });
    try {
      await newPool(small, "suspend");
      const deployment = (await deploy(small, { name: "suspend", work_pool_name: "suspend" })).id;
      const run = await runOf(small, deployment);
      await claim(small, "suspend");
      await small.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
      const schema = { type: "object", properties: { note: { type: "string" } } };
      await small.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "PAUSED", name: "Paused", state_details: { pause_timeout: secondsFromNow(600), input_schema: schema } } });
      // Over the app's default 1 MiB per route: the setting, not that, decides.
      const fits = await small.api("POST", `/flow_runs/${run.id}/resume`, { input: { note: "x".repeat(1536 * 1024) } });
      expect(fits.status).toBe(200);
      await small.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "PAUSED", name: "Paused", state_details: { pause_timeout: secondsFromNow(600), input_schema: schema } } });
      const over = await small.api("POST", `/flow_runs/${run.id}/resume`, { input: { note: "x".repeat(2 * 1024 * 1024) } });
      expect(over).toMatchObject({ status: 413, body: { code: "ResumeInputTooLarge" } });
      expect(over.body.message).toMatch(/^ResumeInputTooLarge: body.input: an input of \d+ bytes \(as JSON\) is over this server's limit of 2097152 bytes \(BATON_SERVER_RESULT_MAX_BYTES/);
      const farOver = await small.api("POST", `/flow_runs/${run.id}/resume`, { input: { note: "x".repeat(3 * 1024 * 1024) } });
      expect(farOver).toMatchObject({ status: 413, body: { code: "ResumeInputTooLarge" } });
      expect(farOver.body.message).toContain("an input of about");
      expect((await small.api("GET", `/flow_runs/${run.id}`)).body.state_type).toBe("PAUSED");
    } finally {
      await small.cleanup();
    }
  });

  it("a silent paused run (pauseFlowRun: its process died) is Crashed; a suspended one, whose process left on purpose, is not", async () => {
    const gone = await suspended({ pause_timeout: secondsFromNow(600) });
    const run = await runOf(app, deploymentId);
    await claim(app, "suspend");
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "PAUSED", name: "Paused", state_details: { pause_timeout: secondsFromNow(600) } } });
    const later = new Date(Date.now() + 120_000);
    expect(await markCrashedRuns(app.db, { heartbeatTimeoutSeconds: 30, now: later })).toBe(1);
    const crashed = (await app.api("GET", `/flow_runs/${run.id}`)).body;
    expect(crashed.state_type).toBe("CRASHED");
    expect(crashed.state.message).toMatch(/^the process running this flow died while the run was paused \(pauseFlowRun waits in its process, heartbeating\): no heartbeat was received for \d+ seconds/);
    expect((await app.api("GET", `/flow_runs/${gone}`)).body.state_type).toBe("PAUSED");
  });

  it("fails a suspension whose timeout has passed, and only those", async () => {
    const expired = await suspended({ pause_timeout: secondsFromNow(-1) });
    const waiting = await suspended({ pause_timeout: secondsFromNow(600) });
    expect(await failExpiredSuspensions(app.db)).toBe(1);
    const failed = (await app.api("GET", `/flow_runs/${expired}`)).body;
    expect(failed.state_type).toBe("FAILED");
    expect(failed.state.message).toMatch(/^PauseTimeout: flow run .+ was suspended \(suspendFlowRun, key suspend-1\) and not resumed by /);
    expect((await app.api("GET", `/flow_runs/${waiting}`)).body.state_type).toBe("PAUSED");
    expect(await failExpiredSuspensions(app.db)).toBe(0);
  });
});
