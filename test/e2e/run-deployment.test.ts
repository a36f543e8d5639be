import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * runDeployment from flow code (issue 16 part 2), through a real process worker with
 * authentication on: the calling run (with its run token) starts runs of another deployment as its
 * children, waits for their results, sees a child's failure as an error, and starts one without
 * waiting (test/fixtures/worker/flows/run-deployment.ts logs each answer).
 */
describe.each(DATABASE_KINDS)("runDeployment from a flow (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  test("a child run of another deployment: awaited result, failure thrown, started without waiting; linked as a subflow", async () => {
    await t.client.call("createWorkPool", { body: { name: "chain-pool", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "chain-pool", type: "process", pollWaitSeconds: 1 });
    try {
      await worker.waitForEvent("started");
      const deploy = (flow: string, entrypoint: string) =>
        t.client.call("upsertDeployment", { body: { flow_name: flow, name: "code", entrypoint: `flows/run-deployment.ts:${entrypoint}`, pull_steps: [], work_pool_name: "chain-pool", job_variables: { working_dir: WORKER_FIXTURE } } });
      await deploy("add-numbers", "addNumbers");
      const { deployment } = await deploy("calls-deployment", "callsDeployment");
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { a: 5 } } });
      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      const logs = await runLogs(t.client, run.id);
      expect(done.state_type, `${done.state.message ?? ""}\n${logs.join("\n")}\n${worker.output()}`).toBe("COMPLETED");
      expect(done.state.data?.result).toBe(15);
      const answer = (what: string) => logs.find((l) => l.startsWith(`${what}: `))?.slice(what.length + 2);
      expect(answer("awaited")).toBe("15");
      expect(answer("failing")).toMatch(/^FlowRunFailedError: FlowRunFailed: runDeployment\("add-numbers\/code"\): flow run '.+' \(.+\) ended Failed: refusing a negative number: -1; see baton flow-run inspect /);

      // Three children, each a run of the deployment in its pool, linked to the caller.
      const children = (await t.client.call("listFlowRuns", { query: { parent_flow_run_id: run.id, limit: 10 } })).items;
      expect(children.map((c) => c.deployment_name)).toEqual(["code", "code", "code"]);
      expect(children.every((c) => c.flow_name === "add-numbers" && c.work_pool_name === "chain-pool")).toBe(true);
      const awaited = children.find((c) => (c.parameters as { a: number }).a === 5)!;
      expect(awaited).toMatchObject({ state_type: "COMPLETED", tags: ["from-a-flow"] });
      expect(awaited.state.data?.result).toEqual({ sum: 15 });
      const notAwaited = children.find((c) => (c.parameters as { a: number }).a === 1)!;
      // Scheduled, or already Pending when a worker's claim was waiting for it (handed over at once).
      expect(answer("not awaited")).toMatch(new RegExp(`^${notAwaited.id} (SCHEDULED|PENDING)$`));
      expect(notAwaited.parent_task_run_id).toBeNull();
      await waitForState(t.client, notAwaited.id, ["COMPLETED"], 120_000);

      // As a subflow: a task run of the caller stands for each awaited call, ending as its child did.
      const tasks = (await t.client.call("listTaskRuns", { query: { flow_run_id: run.id, limit: 10 } })).items;
      const standIns = tasks.filter((tr) => tr.task_key === "add-numbers/code");
      expect(standIns.map((tr) => tr.state_type).sort()).toEqual(["COMPLETED", "FAILED"]);
      expect(standIns.find((tr) => tr.state_type === "COMPLETED")!.subflow_run_id).toBe(awaited.id);
      expect(awaited.parent_task_run_id).toBe(standIns.find((tr) => tr.state_type === "COMPLETED")!.id);
    } finally {
      await worker.stop();
    }
  }, 240_000);
});
