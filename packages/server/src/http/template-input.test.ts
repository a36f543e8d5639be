import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TEMPLATE_STRING_LENGTH } from "@baton/core";
import { adversarialTemplateStrings } from "../../../../test/helpers/adversarial-templates.js";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";

/**
 * Templates sent by any key that can read (check_template) or deploy are parsed on the server:
 * a string made to backtrack must be answered like any other, and a string over the limit gets a
 * 422 naming its field. The old placeholder pattern took seconds per few kilobytes here (the
 * test's own timeout is what fails on it).
 */
describe.each(DATABASE_KINDS)("template strings sent to the API on %s", (kind) => {
  let app: TestApp;
  const hostile = adversarialTemplateStrings(60_000);
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("check_template answers a hostile template with its findings", async () => {
    const answer = await app.api("POST", "/work_pools/check_template", { base_job_template: { job_configuration: { ...hostile, image: "{{ image }}" }, variables: { properties: { image: { type: "string" } } } } });
    expect(answer.status).toBe(200);
    // Nothing in the hostile strings is a placeholder; the one real one is found and declared.
    expect(answer.body).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it("pool create and update, deployment create and its job configuration view take hostile strings", async () => {
    await newPool(app, "hostile-pool", { base_job_template: { job_configuration: { command: "baton flow-run execute", env: "{{ env }}", note: hostile.unclosedSpaces }, variables: { properties: { env: { type: "object" } } } } });
    const updated = await app.api("PATCH", "/work_pools/hostile-pool", { base_job_template: { job_configuration: { env: "{{ env }}", ...hostile }, variables: { properties: { env: { type: "object" } } } } });
    expect(updated.status).toBe(200);
    const deployment = await deploy(app, {
      name: "hostile",
      work_pool_name: "hostile-pool",
      job_variables: { env: { A: hostile.spacedName, B: hostile.manyOpenings } },
      pull_steps: [{ run_shell_script: { script: hostile.alternating } }],
    });
    const view = await app.api("GET", `/deployments/${deployment.id}/job_configuration`);
    expect(view.status).toBe(200);
    expect(view.body.job_configuration.env).toEqual({ A: hostile.spacedName, B: hostile.manyOpenings });
    expect(view.body.job_configuration.openRuns).toBe(hostile.openRuns);
  });

  it("a string over the limit is a 422 naming the field, on every route that takes a template", async () => {
    const big = "x".repeat(MAX_TEMPLATE_STRING_LENGTH + 1);
    const check = await app.api("POST", "/work_pools/check_template", { base_job_template: { job_configuration: { command: big }, variables: {} } });
    expect(check.status).toBe(422);
    expect(check.body.issues).toEqual([{ path: "body.base_job_template.job_configuration.command", message: expect.stringContaining(`at most ${MAX_TEMPLATE_STRING_LENGTH}`) }]);
    const pool = await app.api("POST", "/work_pools", { name: "big-pool", type: "process", base_job_template: { job_configuration: { command: big }, variables: {} } });
    expect(pool.status).toBe(422);
    expect(pool.body.issues[0].path).toBe("body.base_job_template.job_configuration.command");
    const deployed = await app.api("POST", "/deployments", { flow_name: "etl", name: "big", entrypoint: "flows/etl.ts:etl", job_variables: { env: { A: big } } });
    expect(deployed.status).toBe(422);
    expect(deployed.body.issues[0].path).toBe("body.job_variables.env.A");
    const steps = await app.api("POST", "/deployments", { flow_name: "etl", name: "big", entrypoint: "flows/etl.ts:etl", pull_steps: [{ run_shell_script: { script: big } }] });
    expect(steps.status).toBe(422);
    expect(steps.body.issues[0].path).toBe("body.pull_steps.0.run_shell_script.script");
  });
});
