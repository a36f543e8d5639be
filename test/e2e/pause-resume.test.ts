import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { runBaton } from "../helpers/cli.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * pauseFlowRun with input (issue 16 part 6), through a real process worker: the run is Paused
 * with its input's JSON Schema, `baton flow-run resume ID --input JSON` refuses input that does not
 * match (naming the field) and resumes with input that does; the flow gets the parsed input. One
 * nobody resumes fails with PauseTimeout. (test/fixtures/worker/flows/pause.ts)
 */
describe.each(DATABASE_KINDS)("pause and resume with input (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  test("paused until resumed with input matching its schema; a timeout fails the run", async () => {
    await t.client.call("createWorkPool", { body: { name: "approvals", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "approvals", type: "process", pollWaitSeconds: 1 });
    const baton = (args: string[]) => runBaton(args, { env: { BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, BATON_HOME: t.home.path } });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "waits-for-approval", name: "code", entrypoint: "flows/pause.ts:waitsForApproval", pull_steps: [], work_pool_name: "approvals", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
      const paused = await waitForState(t.client, run.id, ["PAUSED", "FAILED", "CRASHED"], 120_000);
      expect(paused.state_type, `${paused.state.message}\n${worker.output()}`).toBe("PAUSED");
      expect(paused.state.message).toBe(`Waiting for input; resume with baton flow-run resume ${run.id} --input JSON`);
      expect(paused.state.state_details.input_schema).toMatchObject({ type: "object", required: ["approved"] });

      const wrong = await baton(["flow-run", "resume", run.id, "--input", '{"approved": "yes"}']);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain("body.input.approved");
      const none = await baton(["flow-run", "resume", run.id]);
      expect(none.stderr).toContain("waits for input (a JSON object matching its schema); pass it with --input JSON");
      expect((await t.client.readFlowRun(run.id)).state_type).toBe("PAUSED");

      const resumed = await baton(["flow-run", "resume", run.id, "--input", '{"approved": true}']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain("Resumed");
      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      const logs = await runLogs(t.client, run.id);
      expect(done.state_type, logs.join("\n")).toBe("COMPLETED");
      expect(done.state.data?.result).toEqual({ approved: true, note: "none" });
      expect(logs).toContain('input: {"approved":true,"note":"none"}');
      const again = await baton(["flow-run", "resume", run.id]);
      expect(again.stderr).toContain(`FlowRunNotPaused: flow run ${run.id}`);

      const late = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { timeout: 2 } } });
      const failed = await waitForState(t.client, late.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      expect(failed.state_type).toBe("FAILED");
      expect(failed.state.message).toContain(`PauseTimeout: flow run ${late.name} was not resumed within 2 s (pauseFlowRun's timeout); resume it sooner with baton flow-run resume ${late.id}`);
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
