import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("claiming runs on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("moves a due run to PENDING for one worker, with its deployment and rendered job configuration", async () => {
    await newPool(app, "basic", { base_job_template: undefined });
    const deployment = await deploy(app, { name: "basic", work_pool_name: "basic", job_variables: { env: { A: "dep" } } });
    const run = await runOf(app, deployment.id, { job_variables: { env: { B: "run" } }, parameters: { n: 1 } });
    expect(run).toMatchObject({ state_type: "SCHEDULED", deployment_id: deployment.id, deployment_name: "basic", work_pool_name: "basic", work_queue_name: "default" });
    const [claimed, ...rest] = await claim(app, "basic", { limit: 5 });
    expect(rest).toEqual([]);
    expect(claimed.flow_run).toMatchObject({ id: run.id, state_type: "PENDING", worker_name: "w1" });
    expect(claimed.deployment.id).toBe(deployment.id);
    expect(claimed.job_configuration).toEqual({ command: "baton flow-run execute", env: { A: "dep", B: "run" }, labels: {}, name: run.name, stream_output: true });
    expect(await claim(app, "basic")).toEqual([]);
  });

  it("leaves runs scheduled in the future", async () => {
    await newPool(app, "future");
    const deployment = await deploy(app, { name: "future", work_pool_name: "future" });
    await runOf(app, deployment.id, { scheduled_time: secondsFromNow(3600) });
    expect(await claim(app, "future")).toEqual([]);
  });
});
