import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("PUT /deployments/:id/triggers on %s", (kind) => {
  let app: TestApp;
  let id: string;
  beforeAll(async () => {
    app = await openTestApp(kind);
    id = (await deploy(app, { flow_name: "etl", name: "load" })).id;
  });
  afterAll(() => app?.cleanup());

  const put = (triggers: unknown[], to = id) => app.api("PUT", `/deployments/${to}/triggers`, { triggers });

  it("refuses, naming the field: a name twice, a pool that does not exist, a name another owns, a deployment that does not exist", async () => {
    const twice = await put([{ type: "state", states: ["FAILED"], name: "x" }, { type: "state", states: ["CRASHED"], name: "x" }]);
    expect([twice.status, twice.body.message]).toEqual([422, expect.stringContaining("body.triggers.1.name")]);
    const pool = await put([{ type: "work_pool_offline", work_pools: ["nowhere"], seconds: 60 }]);
    expect([pool.status, pool.body.message]).toEqual([422, expect.stringContaining("body.triggers.0.work_pools.0")]);
    expect((await app.api("POST", "/automations", { name: "mine", trigger: { type: "state", states: ["FAILED"] }, actions: [{ type: "cancel_run" }] })).status).toBe(201);
    const taken = await put([{ type: "state", states: ["FAILED"], name: "mine" }]);
    expect([taken.status, taken.body.code, taken.body.message]).toEqual([409, "TriggerNameTaken", expect.stringContaining("body.triggers.0.name")]);
    expect((await put([], "0190c0de-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await app.api("GET", "/automations")).body.items.map((a: { name: string }) => a.name)).toEqual(["mine"]);
  });

  it("answers what it did with each, and the same list again changes nothing", async () => {
    const triggers = [{ type: "running_longer_than", seconds: 60, match: { deployments: ["etl/load"] } }, { type: "no_completed_run_by", time: "06:30" }];
    const first = await put(triggers);
    expect(first.status).toBe(200);
    expect(first.body.automations.map((a: { name: string; outcome: string }) => [a.name, a.outcome])).toEqual([["etl-load-1", "created"], ["etl-load-2", "created"]]);
    expect(first.body.automations[1].trigger).toEqual({ type: "no_completed_run_by", deployment: "etl/load", time: "06:30" });
    const again = await put(triggers);
    expect(again.body.automations.map((a: { outcome: string }) => a.outcome)).toEqual(["unchanged", "unchanged"]);
    expect(again.body.automations.map((a: { updated: string }) => a.updated)).toEqual(first.body.automations.map((a: { updated: string }) => a.updated));
    expect((await put([triggers[1]!])).body).toMatchObject({ automations: [{ name: "etl-load-1", outcome: "updated" }], deleted: ["etl-load-2"] });
  });
});
