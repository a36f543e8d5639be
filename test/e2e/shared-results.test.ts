import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS, type DatabaseKind } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/** Every file under a folder, recursively (what a storage left on a disk). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const CASES: Array<{ kind: DatabaseKind; storage: "server" | "s3" }> = [...DATABASE_KINDS.map((kind) => ({ kind, storage: "server" as const })), { kind: DATABASE_KINDS[0]!, storage: "s3" }];

/**
 * Result storage that every pod sees (issue 16 part 1), through real process workers: a run's
 * first attempt (worker A, its own BATON_HOME) persists a result and caches another, then fails;
 * the operator's retry runs on worker B (another BATON_HOME, as another pod) and reuses both from
 * the Baton server's storage or from S3 (an s3rver the test starts), running neither task again.
 */
describe.each(CASES)("shared results ($storage on $kind)", ({ kind, storage }) => {
  let t: TestServer;
  let s3: { server: S3rver; dir: { path: string; remove(): void }; endpoint: string } | undefined;
  beforeAll(async () => {
    t = await startTestServer(kind);
    if (storage === "s3") {
      const dir = tempDir("baton-s3rver-");
      const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir.path, configureBuckets: [{ name: "baton-results", configs: [] }] });
      const address = (await server.run()) as unknown as { port: number };
      s3 = { server, dir, endpoint: `http://127.0.0.1:${address.port}` };
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (s3) {
      await s3.server.close();
      s3.dir.remove();
    }
  });

  test("a retry on another worker (another BATON_HOME) reuses the persisted result and the cache entry", async () => {
    const env =
      storage === "server"
        ? { BATON_RESULTS_STORAGE: "server" }
        : { BATON_RESULTS_STORAGE: "s3://baton-results/team-a", BATON_RESULTS_S3_ENDPOINT: s3!.endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
    await t.client.call("createWorkPool", { body: { name: "pods", type: "process" } });
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "shared-results", name: "code", entrypoint: "flows/shared-results.ts:sharedResults", pull_steps: [], work_pool_name: "pods", job_variables: { working_dir: WORKER_FIXTURE, env } },
    });
    await t.client.call("setVariable", { params: { name: "fail-after-tasks" }, body: { value: true } });
    const homeA = tempDir("baton-pod-a-");
    const homeB = tempDir("baton-pod-b-");
    try {
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { n: 7, region: "eu" } } });
      const podA = startWorkerProcess(t, { pool: "pods", type: "process", pollWaitSeconds: 1 }, { BATON_HOME: homeA.path });
      try {
        const failed = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
        expect(failed.state_type, `${failed.state.message}\n${(await runLogs(t.client, run.id)).join("\n")}\n${podA.output()}`).toBe("FAILED");
      } finally {
        await podA.stop();
      }

      await t.client.call("setVariable", { params: { name: "fail-after-tasks" }, body: { value: false } });
      await t.client.call("retryFlowRun", { params: { id: run.id } });
      const podB = startWorkerProcess(t, { pool: "pods", type: "process", pollWaitSeconds: 1 }, { BATON_HOME: homeB.path });
      try {
        const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
        const logs = await runLogs(t.client, run.id);
        expect(done.state_type, `${done.state.message}\n${logs.join("\n")}\n${podB.output()}`).toBe("COMPLETED");
        // The real values came back through the storage (JSON keeps the Date, the BigInt, the Set).
        expect(done.state.data?.result).toEqual({ n: 7, date: true, big: true, set: true, looked: "EU" });
        // Each task ran once, on pod A; pod B's attempt took both from the storage.
        expect(logs.filter((l) => l === "computing expensive 7"), logs.join("\n")).toHaveLength(1);
        expect(logs.filter((l) => l === "computing lookup eu")).toHaveLength(1);
        const tasks = (await t.client.call("listTaskRuns", { query: { flow_run_id: run.id, limit: 20 } })).items;
        expect(tasks.filter((tr) => tr.state_name === "Cached").map((tr) => tr.task_key).sort()).toEqual(["expensive", "lookup"]);
      } finally {
        await podB.stop();
      }
      // Neither pod kept anything on its own disk: the results are in the shared storage.
      expect(filesUnder(join(homeA.path, "results"))).toEqual([]);
      expect(filesUnder(join(homeB.path, "results"))).toEqual([]);
      if (s3) expect(filesUnder(s3.dir.path).filter((f) => f.includes("team-a")).length).toBeGreaterThanOrEqual(2);
    } finally {
      homeA.remove();
      homeB.remove();
    }
  }, 300_000);
});
