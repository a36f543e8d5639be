import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool, runOf } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("flow run list filters on %s", (kind) => {
  let app: TestApp;
  const list = async (query: string) => {
    const answer = await app.api("GET", `/flow_runs?${query}`);
    if (answer.status !== 200) throw new Error(`${query}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.items.map((r: any) => r.name) as string[];
  };
  let deploymentId: string;
  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "filters-pool");
    deploymentId = (await deploy(app, { name: "filters", work_pool_name: "filters-pool" })).id;
    await runOf(app, deploymentId, { name: "dep-1", tags: ["etl", "nightly"] });
    await newFlowRun(app, { flow_name: "filters-flow", name: "early", tags: ["etl"], state: { type: "SCHEDULED", state_details: { scheduled_time: "2026-01-01T00:00:00.000Z" } } });
    await newFlowRun(app, { flow_name: "filters-flow", name: "late", tags: ["nightly"], state: { type: "SCHEDULED", state_details: { scheduled_time: "2027-01-01T00:00:00.000Z" } } });
  });
  afterAll(() => app.cleanup());

  it("keeps runs that carry every tag asked for", async () => {
    expect((await list("tag=etl")).sort()).toEqual(["dep-1", "early"]);
    expect(await list("tag=etl,nightly")).toEqual(["dep-1"]);
  });

  it("filters on the deployment and the work pool", async () => {
    expect(await list(`deployment_id=${deploymentId}`)).toEqual(["dep-1"]);
    expect(await list("work_pool_name=filters-pool")).toEqual(["dep-1"]);
  });

  it("filters on a range of expected start or creation time", async () => {
    expect(await list("flow_name=filters-flow&expected_start_before=2026-06-01T00:00:00Z")).toEqual(["early"]);
    expect(await list("flow_name=filters-flow&expected_start_after=2026-06-01T00:00:00%2B02:00")).toEqual(["late"]);
    const now = new Date().toISOString();
    expect(await list(`flow_name=filters-flow&created_after=${now}`)).toEqual([]);
    expect((await list(`flow_name=filters-flow&created_before=${now}`)).sort()).toEqual(["early", "late"]);
    const bad = await app.api("GET", "/flow_runs?created_after=yesterday");
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("created_after");
  });
});
