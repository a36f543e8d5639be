import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

// Every run is a real `baton flow-run execute` process (about a second of CPU each on this
// machine), so CI races 60 of them per database; the claim itself is raced with 500 runs at the
// server level (packages/server/src/dispatch/race.test.ts). BATON_TEST_RACE_RUNS=500 runs this
// one at the size by hand.
const RUNS = Number(process.env.BATON_TEST_RACE_RUNS ?? 60);

describe.each(DATABASE_KINDS)("two workers racing on one pool (%s)", (kind) => {
  let t: TestServer;
  const scratch = tempDir("baton-race-");
  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(async () => {
    await t?.close();
    scratch.remove();
  });

  test(`${RUNS} runs: each runs exactly once, each worker within its limit`, { timeout: 120_000 + RUNS * 3_000 }, async () => {
    const ledger = join(scratch.path, "ledger");
    const a = startWorkerProcess(t, { pool: "race", type: "process", name: "worker-a", limit: 3, pollWaitSeconds: 5 });
    await a.waitForEvent("started");
    const b = startWorkerProcess(t, { pool: "race", name: "worker-b", limit: 3, pollWaitSeconds: 5 });
    try {
      await b.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "quick", name: "race", entrypoint: "flows/behaviours.ts:quick", pull_steps: [], work_pool_name: "race", job_variables: { working_dir: WORKER_FIXTURE, stream_output: false } },
      });
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i += 50) {
        const batch = await Promise.all(Array.from({ length: Math.min(50, RUNS - i) }, () => t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { ledger } } })));
        ids.push(...batch.map((r) => r.id));
      }
      const byWorker = new Map<string, number>();
      for (const id of ids) {
        const run = await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], RUNS * 3_000);
        expect(run.state_type, run.state.message ?? "").toBe("COMPLETED");
        byWorker.set(run.worker_name ?? "?", (byWorker.get(run.worker_name ?? "?") ?? 0) + 1);
      }
      // Exactly once: one start line per run in the flows' own ledger, and one Running state per run on the server.
      const starts = readFileSync(ledger, "utf8").trim().split("\n").filter((l) => l.endsWith(" start")).map((l) => l.split(" ")[0]!);
      expect(starts.length).toBe(RUNS);
      expect(new Set(starts)).toEqual(new Set(ids));
      for (const id of ids) {
        const states = await t.client.flowRunStates(id);
        expect(states.items.filter((s) => s.type === "RUNNING").length).toBe(1);
      }
      expect([...byWorker.keys()].sort()).toEqual(["worker-a", "worker-b"]);
      // Each worker's own view: never more launched-and-not-exited runs than its limit.
      for (const w of [a, b]) {
        let now = 0;
        let most = 0;
        for (const e of w.events) {
          if (e.type === "launched") most = Math.max(most, ++now);
          if (e.type === "exited") now--;
        }
        expect(most).toBeGreaterThan(0);
        expect(most).toBeLessThanOrEqual(3);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
