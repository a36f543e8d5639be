import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { flow } from "baton";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startTestServer, type TestServer } from "./worker-setup.js";

/** fromSource().deploy({ triggers }) keeps a deployment's automations as baton.yaml's triggers: do. */
describe.each(DATABASE_KINDS)("deploy() with triggers from code on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await t.client.call("createWorkPool", { body: { name: "default", type: "process" } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  test("given, they become the deployment's automations; left out, those stay; [] deletes them", async () => {
    const report = flow("report", async () => 1).fromSource({ source: "https://git.example.com/team/etl.git", entrypoint: "flows/report.ts:report", ref: "main" });
    const deploy = (triggers?: unknown[]) => report.deploy({ name: "daily", workPool: "default", client: t.client, ...(triggers ? { triggers: triggers as never } : {}) });
    const first = await deploy([{ type: "no_completed_run_by", name: "report-late", time: "07:00", timezone: "Europe/Paris" }]);
    expect(first.triggers).toMatchObject({ automations: [{ name: "report-late", outcome: "created", deployment_id: first.deployment.id }], deleted: [] });
    expect((await deploy()).triggers).toBeUndefined();
    expect((await t.client.call("readAutomation", { params: { name: "report-late" } })).trigger).toEqual({ type: "no_completed_run_by", deployment: "report/daily", time: "07:00", timezone: "Europe/Paris" });
    await expect(deploy([{ type: "work_pool_offline", seconds: 0 }])).rejects.toThrow(/triggers\[0\]\.seconds/);
    expect((await deploy([])).triggers).toEqual({ automations: [], deleted: ["report-late"] });
  }, 60_000);
});
