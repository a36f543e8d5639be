import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";
import { PARKED, scheduleDeployments } from "./scheduler.js";
import { PARKED as PARKED_IN_MIGRATION } from "../db/migrations/0020-unpause-wakes-schedules.js";

describe.each(DATABASE_KINDS)("the scheduler's horizon on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const horizonOf = async (app: TestApp, deploymentId: string) =>
    app.db.db.selectFrom("deployment_schedules").select(["scheduled_through", "fill_due", "fill_claim"]).where("deployment_id", "=", deploymentId).executeTakeFirstOrThrow();
  const runTimes = async (app: TestApp, deploymentId: string) =>
    (await app.db.db.selectFrom("flow_runs").select("next_scheduled_time").where("deployment_id", "=", deploymentId).where("state_type", "=", "SCHEDULED").execute()).map((r) => r.next_scheduled_time!).sort();

  it("moves as runs are made, is left alone until due, and is reset by a change, a pause and a resume", async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    await newPool(app, "minutely");
    const deployment = await deploy(app, { name: "minutely", work_pool_name: "minutely", schedules: [{ cron: "* * * * *" }] });
    const first = await runTimes(app, deployment.id);
    expect(first.length).toBeGreaterThanOrEqual(60);
    let horizon = await horizonOf(app, deployment.id);
    expect(horizon.scheduled_through).toBe(first.at(-1));
    expect(horizon.fill_claim).toBeNull();
    // Nothing due: a pass makes nothing and leaves the horizon where it is.
    expect(await scheduleDeployments(app.db, new Date())).toBe(0);
    expect(await horizonOf(app, deployment.id)).toEqual(horizon);
    // When it comes due, the pass adds only the minutes after the horizon.
    const due = new Date(Date.parse(horizon.fill_due) + 90_000);
    const made = await scheduleDeployments(app.db, due);
    expect(made).toBeGreaterThanOrEqual(1);
    const later = await runTimes(app, deployment.id);
    expect(later.length).toBe(first.length + made);
    expect(later.slice(0, first.length)).toEqual(first);
    horizon = await horizonOf(app, deployment.id);
    expect(horizon.scheduled_through).toBe(later.at(-1));
    expect(Date.parse(horizon.fill_due)).toBeGreaterThan(due.getTime());

    // A pause removes the future runs and forgets the horizon; a pass parks it.
    expect((await app.api("POST", `/deployments/${deployment.id}/pause`)).status).toBe(200);
    expect((await horizonOf(app, deployment.id)).scheduled_through).toBeNull();
    expect(await scheduleDeployments(app.db, new Date())).toBe(0);
    expect((await horizonOf(app, deployment.id)).fill_due).toBe(PARKED);
    // A resume fills it again from now.
    expect((await app.api("POST", `/deployments/${deployment.id}/resume`)).status).toBe(200);
    const resumed = await runTimes(app, deployment.id);
    expect((await horizonOf(app, deployment.id)).scheduled_through).toBe(resumed.at(-1));
    // A change of the schedule starts over from the new definition.
    await deploy(app, { name: "minutely", work_pool_name: "minutely", schedules: [{ cron: "*/5 * * * *" }] });
    const changed = await runTimes(app, deployment.id);
    expect(changed.filter((t) => Date.parse(t) > Date.now() + 1000).every((t) => new Date(t).getUTCMinutes() % 5 === 0)).toBe(true);
    expect((await horizonOf(app, deployment.id)).scheduled_through).toBe(changed.at(-1));
  });

  it("fills a deployment unpaused outside the API (an operator's SQL) at the next pass", async () => {
    expect(PARKED_IN_MIGRATION).toBe(PARKED);
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    await newPool(app, "by-sql");
    const deployment = await deploy(app, { name: "by-sql", work_pool_name: "by-sql", paused: true, schedules: [{ cron: "* * * * *" }, { interval: 600, active: false }] });
    // A pass while it is paused parks both schedules.
    await scheduleDeployments(app.db, new Date());
    const parked = await app.db.db.selectFrom("deployment_schedules").select("fill_due").where("deployment_id", "=", deployment.id).execute();
    expect(parked.map((s) => s.fill_due)).toEqual([PARKED, PARKED]);
    await app.db.db.updateTable("deployments").set({ paused: 0 }).where("id", "=", deployment.id).execute();
    expect(await scheduleDeployments(app.db, new Date())).toBeGreaterThanOrEqual(60);
    expect((await runTimes(app, deployment.id)).length).toBeGreaterThanOrEqual(60);
    // Pausing again by SQL wakes nothing; the inactive schedule is parked again by the pass.
    await app.db.db.updateTable("deployments").set({ paused: 1 }).where("id", "=", deployment.id).execute();
    await scheduleDeployments(app.db, new Date(Date.now() + 3 * 3600_000));
    const after = await app.db.db.selectFrom("deployment_schedules").select("fill_due").where("deployment_id", "=", deployment.id).execute();
    expect(after.map((s) => s.fill_due)).toEqual([PARKED, PARKED]);
  });

  it("answers the API while a pass fills many schedules", async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    await newPool(app, "many");
    const ids: string[] = [];
    for (let i = 0; i < 80; i++) ids.push((await deploy(app, { name: `d${i}`, work_pool_name: "many", paused: true, schedules: [{ interval: 60 }] })).id);
    await app.db.db.updateTable("deployments").set({ paused: 0 }).execute();
    const address = await app.app.listen({ host: "127.0.0.1", port: 0 });
    const order: string[] = [];
    const pass = scheduleDeployments(app.db, new Date()).then((n) => {
      order.push("pass");
      return n;
    });
    const health = fetch(`${address}/api/health`).then((r) => {
      order.push(`health ${r.status}`);
    });
    const [created] = await Promise.all([pass, health]);
    expect(created).toBe(80 * 60);
    expect(order).toEqual(["health 200", "pass"]);
  });

  it("shares the work between two schedulers racing on one database: every run once", async () => {
    const database: TestDatabase = await createTestDatabase(kind);
    cleanups.push(() => database.drop());
    // SQLite replicas are separate processes (race.test.ts): here one server races itself.
    const replicas: BatonApp[] = [];
    for (let i = 0; i < (kind === "postgresql" ? 2 : 1); i++) replicas.push(await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } }));
    cleanups.push(async () => {
      for (const r of replicas) await r.close();
    });
    const a = replicas[0]!;
    const b = replicas.at(-1)!;
    await a.app.inject({ method: "POST", url: "/api/work_pools", payload: { name: "twins", type: "process" } });
    for (let i = 0; i < 150; i++) {
      await a.app.inject({ method: "POST", url: "/api/deployments", payload: { flow_name: "etl", name: `t${i}`, entrypoint: "flows/etl.ts:etl", work_pool_name: "twins", paused: true, schedules: [{ interval: 600 }, { cron: "*/15 * * * *" }] } });
    }
    await a.db.db.updateTable("deployments").set({ paused: 0 }).execute();
    const now = new Date();
    const created = await Promise.all([scheduleDeployments(a.db, now), scheduleDeployments(b.db, now), scheduleDeployments(a.db, now)]);
    const runs = await a.db.db.selectFrom("flow_runs").select(["idempotency_key", "schedule_id"]).execute();
    expect(created.reduce((x, y) => x + y, 0)).toBe(runs.length);
    expect(new Set(runs.map((r) => r.idempotency_key)).size).toBe(runs.length);
    // Each schedule got its hour ahead (6 + 4 runs), and each horizon was written.
    expect(runs.length).toBe(150 * (6 + 4));
    const horizons = await a.db.db.selectFrom("deployment_schedules").select(["scheduled_through", "fill_claim"]).execute();
    expect(horizons.every((h) => h.scheduled_through !== null && h.fill_claim === null)).toBe(true);
    expect(await scheduleDeployments(b.db, now)).toBe(0);
  });
});
