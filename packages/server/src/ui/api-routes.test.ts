import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_BASE_JOB_TEMPLATE } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("the UI's routes on %s", (kind) => {
  let app: TestApp;
  let deployment: any;
  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "ui-pool");
    deployment = await deploy(app, { name: "ui", work_pool_name: "ui-pool", job_variables: { env: { TOKEN: "{{ baton.secrets.api-token }}", MODE: "prod" } } });
  });
  afterAll(() => app.cleanup());

  describe("POST /flow_runs/:id/retry", () => {
    it("schedules a failed deployment run again, now, with its parameters, for a worker to claim", async () => {
      const run = await runOf(app, deployment.id, { parameters: { limit: 7 } });
      const [claimed] = await claim(app, "ui-pool");
      expect(claimed.flow_run.id).toBe(run.id);
      await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
      await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "FAILED", message: "boom" } });
      const retried = await app.api("POST", `/flow_runs/${run.id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ id: run.id, state_type: "SCHEDULED", state_name: "Scheduled", parameters: { limit: 7 }, worker_name: null, end_time: null, run_count: 1 });
      expect(retried.body.state.message).toBe("retried after it ended Failed");
      const again = await claim(app, "ui-pool");
      expect(again.map((c) => c.flow_run.id)).toEqual([run.id]);
      const history = (await app.api("GET", `/flow_runs/${run.id}/states`)).body.items.map((s: any) => s.type);
      expect(history).toEqual(["SCHEDULED", "PENDING", "RUNNING", "FAILED", "SCHEDULED", "PENDING"]);
    });

    it("retries cancelled and crashed runs too", async () => {
      for (const type of ["CANCELLED", "CRASHED"]) {
        const run = await runOf(app, deployment.id);
        await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type }, force: true });
        expect((await app.api("POST", `/flow_runs/${run.id}/retry`)).body.state_type).toBe("SCHEDULED");
      }
    });

    it("answers 409 naming the state for a run that has not ended or completed, 409 for a run of no deployment, 404 for none", async () => {
      const scheduled = await runOf(app, deployment.id);
      const notEnded = await app.api("POST", `/flow_runs/${scheduled.id}/retry`);
      expect(notEnded.status).toBe(409);
      expect(notEnded.body).toMatchObject({ code: "FlowRunNotRetryable" });
      expect(notEnded.body.message).toContain("is SCHEDULED (Scheduled); only a Failed, Crashed or Cancelled run can be retried");
      await app.api("POST", `/flow_runs/${scheduled.id}/set_state`, { state: { type: "COMPLETED" }, force: true });
      expect((await app.api("POST", `/flow_runs/${scheduled.id}/retry`)).body.message).toContain("start a new run of its deployment");
      const local = await newFlowRun(app, { state: { type: "FAILED" } });
      const noDeployment = await app.api("POST", `/flow_runs/${local.id}/retry`);
      expect(noDeployment.status).toBe(409);
      expect(noDeployment.body.message).toContain("not a run of a deployment");
      expect((await app.api("POST", "/flow_runs/0190a5a2-0000-7000-8000-000000000000/retry")).status).toBe(404);
    });
  });

  describe("job configuration views", () => {
    it("renders a deployment's job configuration with secrets left as references", async () => {
      const view = await app.api("GET", `/deployments/${deployment.id}/job_configuration`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ work_pool_name: "ui-pool", work_pool_type: "process", issues: [] });
      expect(view.body.job_configuration.env).toEqual({ TOKEN: "{{ baton.secrets.api-token }}", MODE: "prod" });
    });

    it("renders a run's with its own job variables over the deployment's", async () => {
      const run = await runOf(app, deployment.id, { job_variables: { env: { MODE: "debug" } } });
      const view = await app.api("GET", `/flow_runs/${run.id}/job_configuration`);
      expect(view.body.job_configuration.env).toEqual({ TOKEN: "{{ baton.secrets.api-token }}", MODE: "debug" });
      const local = await newFlowRun(app);
      const none = await app.api("GET", `/flow_runs/${local.id}/job_configuration`);
      expect(none.body).toMatchObject({ work_pool_name: null, job_configuration: null, issues: [{ path: "work_pool_name" }] });
    });
  });

  describe("GET /deployments/summaries", () => {
    it("answers each deployment's next run by expected start (not creation) and its last started runs, newest first", async () => {
      const other = await deploy(app, { name: "summaries", work_pool_name: "ui-pool" });
      const empty = await deploy(app, { name: "summaries-empty", work_pool_name: "ui-pool" });
      const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
      // Created first but due last: the list must not pick it.
      await runOf(app, other.id, { scheduled_time: inHours(5) });
      const due = await runOf(app, other.id, { scheduled_time: inHours(1) });
      const started = [];
      for (const end of ["COMPLETED", "FAILED", "COMPLETED"]) {
        const run = await runOf(app, other.id);
        await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
        await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: end } });
        started.push(run.id);
      }
      const answer = await app.api("GET", `/deployments/summaries?ids=${other.id},${empty.id}&runs=2`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const [mine, none] = answer.body.items;
      expect(mine).toMatchObject({ deployment_id: other.id, next_scheduled_run: { id: due.id, state_type: "SCHEDULED", expected_start_time: due.expected_start_time } });
      expect(mine.last_runs.map((r: any) => [r.id, r.state_type])).toEqual([
        [started[2], "COMPLETED"],
        [started[1], "FAILED"],
      ]);
      expect(none).toEqual({ deployment_id: empty.id, next_scheduled_run: null, last_runs: [] });
    });

    it("names the mistake in ids", async () => {
      const bad = await app.api("GET", "/deployments/summaries?ids=nope");
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toContain("ids");
      expect((await app.api("GET", "/deployments/summaries?ids=")).status).toBe(422);
    });
  });

  describe("POST /work_pools/check_template", () => {
    it("accepts the default template and names each mistake with the path the update would", async () => {
      const ok = await app.api("POST", "/work_pools/check_template", { base_job_template: PROCESS_BASE_JOB_TEMPLATE });
      expect(ok.body).toEqual({ valid: true, errors: [], warnings: [] });
      const typo = structuredClone(PROCESS_BASE_JOB_TEMPLATE) as any;
      typo.job_configuration.env = "{{ envv }}";
      const bad = await app.api("POST", "/work_pools/check_template", { base_job_template: typo });
      expect(bad.body.valid).toBe(false);
      expect(bad.body.errors).toEqual([{ path: "body.base_job_template.job_configuration.env", message: expect.stringContaining("{{ envv }} names no variable") }]);
      expect(bad.body.warnings.map((w: any) => w.path)).toContain("body.base_job_template.variables.properties.env");
      const shapeless = await app.api("POST", "/work_pools/check_template", { base_job_template: { job_configuration: {} } });
      expect(shapeless.body.valid).toBe(false);
      expect(shapeless.body.errors[0].path).toBe("body.base_job_template.variables");
      // The same template saved is refused by the update, with the same path.
      const update = await app.api("PATCH", "/work_pools/ui-pool", { base_job_template: typo });
      expect(update.status).toBe(422);
      expect(update.body.issues.map((i: any) => i.path)).toContain("body.base_job_template.job_configuration.env");
    });
  });
});
