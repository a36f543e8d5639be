import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../../../test/helpers/cli.js";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";
import { fillDeploymentSchedules, scheduleDeployments, timesAhead } from "./scheduler.js";

describe("how far ahead a schedule is filled", () => {
  const now = new Date("2026-03-01T00:00:30Z");
  it("at least 3 runs and an hour, at most 100 runs and 100 days", () => {
    expect(timesAhead({ interval: 60, timezone: "UTC", active: true, parameters: {} }, now)).toHaveLength(60);
    expect(timesAhead({ interval: 86400, timezone: "UTC", active: true, parameters: {} }, now)).toHaveLength(3);
    expect(timesAhead({ interval: 1, timezone: "UTC", active: true, parameters: {} }, now)).toHaveLength(100);
    // Yearly: only what falls within 100 days.
    expect(timesAhead({ cron: "0 0 1 1 *", timezone: "UTC", active: true, parameters: {} }, now)).toHaveLength(0);
  });
});

describe.each(DATABASE_KINDS)("the scheduler on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const scheduledRuns = async (app: TestApp | { api: TestApp["api"] }, deploymentId: string) =>
    (await app.api("GET", `/flow_runs?deployment_id=${deploymentId}&limit=500`)).body.items.filter((r: { state_type: string }) => r.state_type === "SCHEDULED");

  it("keeps filling ahead as time passes, and marks a run still waiting after its time Late", async () => {
    const app = await openTestApp(kind, { services: { loopSeconds: 0.2, lateAfterSeconds: 0.5, heartbeatTimeoutSeconds: 3600 } });
    cleanups.push(() => app.cleanup());
    await newPool(app, "ticks");
    const deployment = await deploy(app, { name: "ticks", work_pool_name: "ticks", schedules: [{ interval: 1 }] });
    const first = await scheduledRuns(app, deployment.id);
    expect(first).toHaveLength(100);
    const latest = (runs: { expected_start_time: string }[]) => runs.map((r) => r.expected_start_time).sort().pop()!;
    // The service adds the runs that come into its window as the first ones fall due.
    await waitFor(async () => ((await app.api("GET", `/flow_runs?deployment_id=${deployment.id}&limit=500`)).body.items.some((r: { expected_start_time: string }) => r.expected_start_time > latest(first)) ? true : undefined), "the scheduler to add later runs");
    const late = await waitFor(async () => (await app.api("GET", `/flow_runs?deployment_id=${deployment.id}&state=Late&limit=1`)).body.items[0], "a scheduled run to be marked Late");
    expect(late.state_type).toBe("SCHEDULED");
  });

  it("makes no duplicate when replicas schedule at the same moment, or again after a restart", async () => {
    const database: TestDatabase = await createTestDatabase(kind);
    cleanups.push(() => database.drop());
    // SQLite replicas are separate processes (see race.test.ts): there one server schedules concurrently with itself.
    const replicas: BatonApp[] = [];
    for (let i = 0; i < (kind === "postgresql" ? 2 : 1); i++) replicas.push(await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } }));
    cleanups.push(async () => {
      for (const r of replicas) await r.close();
    });
    const a = replicas[0]!;
    const b = replicas[replicas.length - 1]!;
    const call = async (method: "POST" | "GET", url: string, payload?: object) => (await a.app.inject({ method, url: `/api${url}`, ...(payload ? { payload } : {}) })).json();
    await call("POST", "/work_pools", { name: "twins", type: "process" });
    // Paused while it is written, so that only the replicas below schedule it.
    const { deployment } = await call("POST", "/deployments", { flow_name: "etl", name: "twins", entrypoint: "flows/etl.ts:etl", work_pool_name: "twins", paused: true, schedules: [{ interval: 60 }, { cron: "*/5 * * * *" }] });
    await a.db.db.updateTable("deployments").set({ paused: 0 }).where("id", "=", deployment.id).execute();
    const now = new Date();
    const created = await Promise.all([scheduleDeployments(a.db, now), scheduleDeployments(b.db, now), fillDeploymentSchedules(a.db, deployment.id, now).then((r) => r.created)]);
    expect(created.reduce((x, y) => x + y, 0)).toBe(60 + 12);
    expect(await scheduleDeployments(b.db, now)).toBe(0);
    const runs = await scheduledRuns({ api: async (method, path) => ({ status: 200, body: await call(method as "GET", path) }) }, deployment.id);
    expect(runs).toHaveLength(72);
    expect(new Set(runs.map((r: { idempotency_key: string }) => r.idempotency_key)).size).toBe(72);
  });

  it("runs a Paris cron once a day across both daylight-saving changes", async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    const deployment = await deploy(app, { name: "dst", paused: true, schedules: [{ cron: "30 2 * * *", timezone: "Europe/Paris" }] });
    await app.db.db.updateTable("deployments").set({ paused: 0 }).where("id", "=", deployment.id).execute();
    for (const now of ["2026-03-27T12:00:00Z", "2026-10-23T12:00:00Z"]) {
      await fillDeploymentSchedules(app.db, deployment.id, new Date(now));
    }
    const runs = (await app.api("GET", `/flow_runs?deployment_id=${deployment.id}&limit=500&sort=created_asc`)).body.items;
    const localDays = runs.map((r: { expected_start_time: string }) => new Date(r.expected_start_time).toLocaleString("sv-SE", { timeZone: "Europe/Paris" }));
    // 29 March has no 02:30 (it runs once, an hour later, as core's nextRunTimes does); 25 October has two (it runs once).
    expect(localDays).toEqual([
      "2026-03-28 02:30:00", "2026-03-29 03:30:00", "2026-03-30 02:30:00",
      "2026-10-24 02:30:00", "2026-10-25 02:30:00", "2026-10-26 02:30:00",
    ]);
  });

  it("makes one run per rrule time however many passes ask, at whole seconds (an rrule without DTSTART)", async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    const deployment = await deploy(app, { name: "mondays", paused: true, schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", timezone: "Europe/Paris" }] });
    await app.db.db.updateTable("deployments").set({ paused: 0 }).where("id", "=", deployment.id).execute();
    // Passes a few seconds apart, as the scheduler service makes them; the old anchor was "now".
    for (const now of ["2026-03-20T14:00:01Z", "2026-03-20T14:00:37Z", "2026-03-20T14:00:58.500Z", "2026-03-20T14:05:00Z"]) {
      await fillDeploymentSchedules(app.db, deployment.id, new Date(now));
    }
    const runs = await scheduledRuns(app, deployment.id);
    const times = runs.map((r: { expected_start_time: string }) => r.expected_start_time).sort();
    expect(times.slice(0, 3)).toEqual(["2026-03-23T08:00:00.000Z", "2026-03-30T07:00:00.000Z", "2026-04-06T07:00:00.000Z"]);
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t: string) => t.endsWith(":00:00.000Z"))).toBe(true);
    // The window holds 3 runs for a weekly rule (at least 3 and an hour): 3, not 3 per pass.
    expect(times).toHaveLength(3);
  });

  it("leaves inactive schedules and paused deployments alone", async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    await newPool(app, "quiet");
    const inactive = await deploy(app, { name: "inactive", work_pool_name: "quiet", schedules: [{ interval: 60, active: false }] });
    const paused = await deploy(app, { name: "paused", work_pool_name: "quiet", paused: true, schedules: [{ interval: 60 }] });
    expect(await scheduleDeployments(app.db, new Date())).toBe(0);
    expect(await scheduledRuns(app, inactive.id)).toEqual([]);
    expect(await scheduledRuns(app, paused.id)).toEqual([]);
  });
});
