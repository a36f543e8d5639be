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

  it("leaves out, or keeps only, the runs scheduled for later", async () => {
    const flow_name = `upcoming-${kind}`;
    await newFlowRun(app, { flow_name, name: "due", state: { type: "SCHEDULED", state_details: { scheduled_time: "2020-01-01T00:00:00.000Z" } } });
    await newFlowRun(app, { flow_name, name: "ahead", state: { type: "SCHEDULED", state_details: { scheduled_time: "2099-01-01T00:00:00.000Z" } } });
    const ran = await newFlowRun(app, { flow_name, name: "ran" });
    await app.api("POST", `/flow_runs/${ran.id}/set_state`, { state: { type: "COMPLETED" }, force: true });
    expect((await list(`flow_name=${flow_name}`)).sort()).toEqual(["ahead", "due", "ran"]);
    expect((await list(`flow_name=${flow_name}&upcoming=exclude`)).sort()).toEqual(["due", "ran"]);
    expect(await list(`flow_name=${flow_name}&upcoming=only`)).toEqual(["ahead"]);
    expect((await app.api("GET", "/flow_runs?upcoming=later")).status).toBe(422);
  });

  it("pages through several states at once in creation order, each run once", async () => {
    const flow_name = `states-${kind}`;
    const made: { name: string; type: string }[] = [];
    for (let i = 0; i < 9; i++) {
      const type = ["FAILED", "COMPLETED", "CRASHED"][i % 3]!;
      const run = await newFlowRun(app, { flow_name, name: `s-${i}` });
      await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type }, force: true });
      made.push({ name: `s-${i}`, type });
    }
    const expected = made.filter((r) => r.type !== "COMPLETED").map((r) => r.name).reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await app.api("GET", `/flow_runs?flow_name=${flow_name}&state=FAILED,CRASHED&limit=2${cursor ? `&cursor=${cursor}` : ""}`)).body;
      seen.push(...page.items.map((r: any) => r.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    // A type and a name that match the same run (FAILED and Failed): listed once.
    expect(await list(`flow_name=${flow_name}&state=FAILED,Failed&sort=created_asc`)).toEqual(["s-0", "s-3", "s-6"]);
  });

  it("matches a tag exactly, whatever characters it holds", async () => {
    await newFlowRun(app, { flow_name: "tags-flow", name: "odd", tags: ['50%_off "now"', "a\\b"] });
    await newFlowRun(app, { flow_name: "tags-flow", name: "decoy", tags: ['50xxoff "now"', "ab"] });
    expect(await list(`flow_name=tags-flow&tag=${encodeURIComponent('50%_off "now"')}`)).toEqual(["odd"]);
    expect(await list(`flow_name=tags-flow&tag=${encodeURIComponent("a\\b")}`)).toEqual(["odd"]);
    expect(await list("flow_name=tags-flow&tag=50")).toEqual([]);
  });
});
