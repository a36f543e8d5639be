/*
 * A burst through a reused executor (issue 14): the claim brings each run's token, the executor
 * reports each run's final state, and the claim loop hands runs out one event-loop turn apart.
 * With real processes: every run of a burst completes once, in one executor, with its own run
 * context, and never more at a time than the worker's --limit or the deployment's
 * concurrency_limit allows.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "reuse");
const WORKER_LIMIT = 4;
const SCRAPE_TOKEN = "burst-scrape-token-0123456789";

describe("a burst through a reused executor on sqlite", () => {
  let t: TestServer;
  let worker: WorkerProcess;
  beforeAll(async () => {
    t = await startTestServer("sqlite", { metrics: { port: 0, token: SCRAPE_TOKEN } });
    worker = startWorkerProcess(t, { pool: "burst", type: "process", pollWaitSeconds: 2, spares: 0, limit: WORKER_LIMIT });
    await worker.waitForEvent("started");
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  /** `count` runs of a new deployment sent at once; what each saw, once all have ended. */
  const burst = async (name: string, count: number, deployment: { concurrency_limit?: number }) => {
    const { deployment: created } = await t.client.call("upsertDeployment", {
      body: {
        flow_name: "reuse-burst",
        name,
        entrypoint: "burst.ts:burst",
        work_pool_name: "burst",
        pull_steps: [{ set_working_directory: { directory: FIXTURE } }],
        // The executor would take 20 at a time: the worker's and the deployment's limits are what hold.
        job_variables: { reuse_process: true, reuse_limit: 20 },
        ...deployment,
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "baton-reuse-burst-"));
    const ids = await Promise.all(Array.from({ length: count }, async () => (await t.client.call("runDeployment", { params: { id: created.id }, body: { parameters: { dir, ms: 300 } } })).id));
    const seen = [];
    for (const id of ids) {
      const done = await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      expect(done.state_type, `${done.state.message ?? ""}\n${worker.output()}`).toBe("COMPLETED");
      const line = (await runLogs(t.client, id)).find((l) => l.startsWith("BURST "));
      expect(line, worker.output()).toBeDefined();
      seen.push(JSON.parse(line!.slice(6)) as { pid: number; peak: number; runId: string });
      // Claimed once: one Pending in its history.
      const states = await t.client.call("flowRunStates", { params: { id }, query: { limit: 100 } });
      expect(states.items.filter((s) => s.type === "PENDING")).toHaveLength(1);
    }
    const ran = readFileSync(join(dir, "ran"), "utf8").trim().split("\n");
    return { ids, seen, ran };
  };

  test("every run of a burst completes once, in one executor, as itself, never more at a time than the worker's --limit", async () => {
    const { ids, seen, ran } = await burst("wide", 16, {});
    expect(ran.sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((s) => s.pid)).size).toBe(1);
    expect(seen.map((s) => s.runId)).toEqual(ids);
    const peak = Math.max(...seen.map((s) => s.peak));
    expect(peak).toBeLessThanOrEqual(WORKER_LIMIT);
    // Several at a time, as reuse is for.
    expect(peak).toBeGreaterThan(1);
    for (const id of ids) expect(worker.events.filter((e) => e.type === "launched" && e.flowRunId === id)).toHaveLength(1);
    expect(worker.events.filter((e) => e.type === "crashed" || e.type === "error")).toEqual([]);
    // Each run's token came with its claim: the worker asked for none on its own.
    const scraped = await (await fetch(`${t.server.metricsUrl}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).text();
    expect(scraped).toContain('route="/api/work_pools/:name/claim"');
    expect(scraped).not.toContain('route="/api/flow_runs/:id/token"');
  }, 180_000);

  test("a deployment's concurrency_limit below the worker's holds for a burst too", async () => {
    const { ids, seen, ran } = await burst("narrow", 8, { concurrency_limit: 2 });
    expect(ran.sort()).toEqual([...ids].sort());
    expect(Math.max(...seen.map((s) => s.peak))).toBeLessThanOrEqual(2);
  }, 180_000);
});
