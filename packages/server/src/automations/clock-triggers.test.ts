import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastDailyDeadline } from "@baton/core";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool, runOf } from "../../test/dispatch-helpers.js";
import { deadlineTriggers } from "./deadline-trigger.js";
import { poolOfflineTriggers } from "./pool-trigger.js";

const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);
const hhmmss = (at: Date) => at.toISOString().slice(11, 19);

/** The triggers that watch the clock, evaluated at chosen instants against a real database. */
describe.each(DATABASE_KINDS)("clock triggers on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app?.cleanup());

  const automation = async (body: Record<string, unknown>) => {
    const answer = await app.api("POST", "/automations", body);
    if (answer.status !== 201) throw new Error(`creating an automation answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  const firings = async (name: string) => (await app.api("GET", `/automation_firings?automation=${name}`)).body.items;

  it("a deployment with no Completed run by a time of day fires once that day, on one replica, and again the next day", async () => {
    const done = await deploy(app, { flow_name: "etl", name: "done" });
    await deploy(app, { flow_name: "etl", name: "missed" });
    const run = await runOf(app, done.id);
    for (const type of ["RUNNING", "COMPLETED"]) expect((await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type } })).body.status).toBe("ACCEPT");
    // Today's deadline is an hour from now (UTC), so the completed run falls in the day before it.
    const deadline = new Date(Math.floor((Date.now() + 3_600_000) / 1000) * 1000);
    const trigger = (deployment: string) => ({ type: "no_completed_run_by", deployment, time: hhmmss(deadline), timezone: "UTC" });
    await automation({ name: "a-done", trigger: trigger("etl/done"), actions: [{ type: "cancel_run" }] });
    await automation({ name: "b-missed", trigger: trigger("etl/missed"), actions: [{ type: "cancel_run" }] });

    // Before the deadline, the last one was yesterday's: before the automations existed.
    expect(await deadlineTriggers(app.db, later(deadline, -1))).toBe(0);
    const fired = await Promise.all([deadlineTriggers(app.db, later(deadline, 1)), deadlineTriggers(app.db, later(deadline, 1))]);
    expect(fired[0] + fired[1]).toBe(1);
    expect(await deadlineTriggers(app.db, later(deadline, 7200))).toBe(0);
    expect(await firings("a-done")).toEqual([]);
    const [missed] = await firings("b-missed");
    expect(missed).toMatchObject({ event: "NO_COMPLETED_RUN", flow_run_id: null, status: "pending" });

    // The next day, the run completed the day before does not count any more.
    expect(await deadlineTriggers(app.db, later(deadline, 86_400 + 1))).toBe(2);
    expect(await firings("a-done")).toHaveLength(1);
    expect(await firings("b-missed")).toHaveLength(2);
  });

  it("without a time zone, the deadline is on the clock of the deployment's schedule", async () => {
    await deploy(app, { flow_name: "etl", name: "tokyo", schedules: [{ cron: "0 7 * * *", timezone: "Asia/Tokyo" }] });
    await automation({ name: "tokyo-late", trigger: { type: "no_completed_run_by", deployment: "etl/tokyo", time: "07:00" }, actions: [{ type: "cancel_run" }] });
    const deadline = lastDailyDeadline("07:00", "Asia/Tokyo", later(new Date(), 86_400));
    expect(await deadlineTriggers(app.db, later(deadline.at, -1))).toBe(0);
    expect(await deadlineTriggers(app.db, deadline.at)).toBe(1);
    const state = (await app.db.db.selectFrom("automation_firings").select("facts").where("automation_name", "=", "tokyo-late").executeTakeFirstOrThrow()).facts;
    expect(JSON.parse(state).state.message).toContain(`by 07:00 Asia/Tokyo on ${deadline.day}`);
  });

  it("a pool without an online worker fires once per outage, and again after a worker came back and left", async () => {
    await newPool(app, "lonely");
    await automation({ name: "lonely-down", trigger: { type: "work_pool_offline", work_pools: ["lonely"], seconds: 60 }, actions: [{ type: "pause_work_pool", work_pool: "lonely" }] });
    const beat = async () => {
      const answer = await app.api("POST", "/work_pools/lonely/workers/heartbeat", { name: "w1", heartbeat_interval_seconds: 10 });
      expect(answer.status).toBe(200);
      return new Date(answer.body.last_heartbeat_time);
    };
    // Offline after three missed heartbeats (30 s), then 60 s of outage.
    const first = await beat();
    expect(await poolOfflineTriggers(app.db, later(first, 5))).toBe(0);
    expect(await poolOfflineTriggers(app.db, later(first, 80))).toBe(0);
    // Two replicas' passes at once: one firing.
    const both = await Promise.all([poolOfflineTriggers(app.db, later(first, 91)), poolOfflineTriggers(app.db, later(first, 91))]);
    expect(both[0] + both[1]).toBe(1);
    expect(await poolOfflineTriggers(app.db, later(first, 500))).toBe(0);
    const second = await beat();
    expect(await poolOfflineTriggers(app.db, later(second, 5))).toBe(0);
    expect(await poolOfflineTriggers(app.db, later(second, 91))).toBe(1);
    expect(await poolOfflineTriggers(app.db, later(second, 600))).toBe(0);
    const all = await firings("lonely-down");
    expect(all.map((f: { event: string }) => f.event)).toEqual(["WORK_POOL_OFFLINE", "WORK_POOL_OFFLINE"]);
  });

  it("a pool that never had a worker counts its outage from its creation; every pool is watched when none is named", async () => {
    const pool = await newPool(app, "never");
    await automation({ name: "any-down", trigger: { type: "work_pool_offline", seconds: 60 }, actions: [{ type: "cancel_run" }] });
    const created = new Date(pool.created);
    expect(await poolOfflineTriggers(app.db, later(created, 30))).toBe(0);
    // "lonely" is long offline by then too: both pools fire for any-down; lonely-down's outage fired already.
    expect(await poolOfflineTriggers(app.db, later(created, 3600))).toBe(2);
    expect((await firings("any-down")).map((f: { automation_name: string }) => f.automation_name)).toHaveLength(2);
  });

  it("names what a trigger or action points at that does not exist", async () => {
    const bad = async (body: Record<string, unknown>) => app.api("POST", "/automations", { name: "bad", actions: [{ type: "cancel_run" }], ...body });
    const noDeployment = await bad({ trigger: { type: "no_completed_run_by", deployment: "etl/nope", time: "07:00" } });
    expect(noDeployment.status).toBe(422);
    expect(noDeployment.body.message).toContain("body.trigger.deployment");
    expect((await bad({ trigger: { type: "no_completed_run_by", deployment: "etl/done", time: "7am" } })).body.message).toContain("body.trigger.time");
    expect((await bad({ trigger: { type: "no_completed_run_by", deployment: "etl/done", time: "07:00", timezone: "Mars/Olympus" } })).body.message).toContain("body.trigger.timezone");
    expect((await bad({ trigger: { type: "work_pool_offline", work_pools: ["nope"], seconds: 60 } })).body.message).toContain("body.trigger.work_pools.0");
    expect((await bad({ trigger: { type: "work_pool_offline", seconds: 60 }, actions: [{ type: "resume_work_pool", work_pool: "nope" }] })).body.message).toContain("body.actions.0.work_pool");
  });
});
