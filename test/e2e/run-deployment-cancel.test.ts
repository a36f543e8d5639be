import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { FlowRun } from "@baton/core";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * Cancelling a flow run cancels the runs it started with runDeployment (issue 16 part 2), through
 * a real process worker and the real `baton flow-run cancel`: the child, running in its own
 * process, ends Cancelled; started with `cancelWithParent: false`, it runs on and completes
 * (test/fixtures/worker/flows/cancel-children.ts: the child runs until the test releases it).
 */
describe.each(DATABASE_KINDS)("cancelling a parent run cancels its runDeployment children (%s)", (kind) => {
  let t: TestServer;
  const dir = tempDir("baton-cancel-children-");
  beforeAll(async () => {
    t = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    dir.remove();
  });

  test("baton flow-run cancel on the parent: the child ends Cancelled; with cancelWithParent false it completes", async () => {
    await t.client.call("createWorkPool", { body: { name: "cancel-pool", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "cancel-pool", type: "process", pollWaitSeconds: 1 });
    try {
      await worker.waitForEvent("started");
      const deploy = (flow: string, entrypoint: string) =>
        t.client.call("upsertDeployment", { body: { flow_name: flow, name: "code", entrypoint: `flows/cancel-children.ts:${entrypoint}`, pull_steps: [], work_pool_name: "cancel-pool", job_variables: { working_dir: WORKER_FIXTURE } } });
      await deploy("waits-for-release", "waitsForRelease");
      const { deployment } = await deploy("starts-child", "startsChild");

      // The parent and its child both running, each in its own process.
      const startBoth = async (cancelWithParent: boolean, release: string): Promise<{ parent: FlowRun; child: FlowRun }> => {
        const parent = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { release, cancelWithParent } } });
        const child = await waitFor(async () => {
          const [run] = (await t.client.call("listFlowRuns", { query: { parent_flow_run_id: parent.id, limit: 1 } })).items;
          return run && (await runLogs(t.client, run.id)).includes("child started") ? run : undefined;
        }, `a running child of ${parent.id}; worker output:\n${worker.output()}`, 120_000);
        expect(child.cancel_with_parent).toBe(cancelWithParent);
        return { parent: await waitForState(t.client, parent.id, ["RUNNING"]), child };
      };
      const cancel = async (id: string) => {
        const r = await runBaton(["flow-run", "cancel", id], { env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey } });
        expect(r.code, r.stdout + r.stderr).toBe(0);
      };

      const held = join(dir.path, "never-released");
      const cancelled = await startBoth(true, held);
      await cancel(cancelled.parent.id);
      expect((await waitForState(t.client, cancelled.parent.id, ["CANCELLED", "COMPLETED", "FAILED", "CRASHED"], 60_000)).state_type).toBe("CANCELLED");
      const child = await waitForState(t.client, cancelled.child.id, ["CANCELLED", "COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(child.state_type, `${child.state.message}\n${worker.output()}`).toBe("CANCELLED");
      expect(existsSync(held)).toBe(false);

      const release = join(dir.path, "released");
      const left = await startBoth(false, release);
      await cancel(left.parent.id);
      expect((await waitForState(t.client, left.parent.id, ["CANCELLED", "COMPLETED", "FAILED", "CRASHED"], 60_000)).state_type).toBe("CANCELLED");
      // The child was not touched by its parent's cancellation: still running, until released.
      expect((await t.client.readFlowRun(left.child.id)).state_type).toBe("RUNNING");
      writeFileSync(release, "");
      const done = await waitForState(t.client, left.child.id, ["CANCELLED", "COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(done.state_type, `${done.state.message}\n${worker.output()}`).toBe("COMPLETED");
      expect(done.state.data?.result).toBe("released");
    } finally {
      // A child left running (the test failed) must end for the worker to stop.
      for (const name of ["never-released", "released"]) writeFileSync(join(dir.path, name), "");
      await worker.stop();
    }
  }, 300_000);
});
