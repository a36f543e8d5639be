import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/** The shortest lease a claim may ask for; the pull step takes almost three of them. */
const LEASE_SECONDS = 5;
const PULL_SECONDS = 14;

describe.each(DATABASE_KINDS)("a claimed run that is slow to start, on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  test("keeps its lease while its pull steps run: it is not put back in the queue nor claimed by another worker", async () => {
    const options = { pool: "slow-pull", type: "process", pollWaitSeconds: 2, leaseSeconds: LEASE_SECONDS };
    const first = startWorkerProcess(t, { ...options, name: "first" });
    const second = startWorkerProcess(t, { ...options, name: "second" });
    try {
      await first.waitForEvent("started", undefined, 120_000);
      await second.waitForEvent("started", undefined, 120_000);
      const { deployment } = await t.client.call("upsertDeployment", {
        body: {
          flow_name: "quick",
          name: "slow-pull",
          entrypoint: "flows/behaviours.ts:quick",
          // A big clone, as far as the lease can tell.
          pull_steps: [{ run_shell_script: { script: `sleep ${PULL_SECONDS}`, stream_output: false } }, { set_working_directory: { directory: WORKER_FIXTURE } }],
          work_pool_name: "slow-pull",
          job_variables: { working_dir: WORKER_FIXTURE },
        },
      });
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"], 180_000);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");

      const history = (await t.client.flowRunStates(created.id)).items.map((s) => `${s.type}:${s.message ?? ""}`);
      // Claimed once, never requeued by the lease service, started once.
      expect(history.filter((s) => s.startsWith("PENDING")), history.join("\n")).toHaveLength(1);
      expect(history.filter((s) => s.includes("lease ended")), history.join("\n")).toEqual([]);
      expect(history.filter((s) => s.startsWith("RUNNING"))).toHaveLength(1);
      const launches = [...first.events, ...second.events].filter((e) => e.type === "launched" && e.flowRunId === created.id);
      expect(launches).toHaveLength(1);
      // The run really was Pending longer than its lease.
      const states = (await t.client.flowRunStates(created.id)).items;
      const pendingAt = Date.parse(states.find((s) => s.type === "PENDING")!.timestamp);
      const runningAt = Date.parse(states.find((s) => s.type === "RUNNING")!.timestamp);
      expect(runningAt - pendingAt).toBeGreaterThan((LEASE_SECONDS * 2) * 1000);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  }, 300_000);
});
