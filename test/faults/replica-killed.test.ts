import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { startBalancer, type Balancer } from "./proxies.js";
import { deployChatty, measure, runChatty, startFaultWorker, startServerProcess, waitForAll, type ServerProcess } from "./harness.js";

const RUNS = 6;
const AFTER = 4;
const LINES = 80;
const DELAY_MS = 100; // about 8 s of logging each, across the kill
/** A claim the killed replica made but never answered comes back to the queue after this. */
const LEASE_SECONDS = 20;

describe("two server replicas on one PostgreSQL behind a balancer, one SIGKILLed under load", () => {
  let db: TestDatabase;
  let doomed: ServerProcess;
  let survivor: ServerProcess;
  let balancer: Balancer;
  const scratch = tempDir("baton-faults-replicas-");
  beforeAll(async () => {
    db = await createTestDatabase("postgresql");
    // One secrets key for both, as replicas must have: it signs the run tokens either one checks.
    const shared = { BATON_SERVER_ENCRYPTION_KEY: randomBytes(32).toString("hex") };
    doomed = await startServerProcess(db.url, shared);
    survivor = await startServerProcess(db.url, shared, doomed.apiKey);
    balancer = await startBalancer([doomed.port, survivor.port]);
  }, 120_000);
  afterAll(async () => {
    await balancer?.close();
    await doomed?.close();
    await survivor?.close();
    await db?.drop();
    scratch.remove();
  });

  test("the worker and its runs carry on through the other replica: every run Completed once, with every line", async () => {
    const viaBalancer = { ...survivor, apiUrl: balancer.url };
    const worker = startFaultWorker(viaBalancer, { pool: "replicas", limit: RUNS + AFTER, name: "replicas-worker", leaseSeconds: LEASE_SECONDS, heartbeatSeconds: 2 }, { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "2" });
    try {
      await worker.waitForEvent("started", undefined, 60_000);
      // The test reads through the survivor: what it measures does not depend on the balancer.
      const client = survivor.client;
      const deployment = await deployChatty(client, "replicas");
      const ledger = `${scratch.path}/ledger`;
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i++) ids.push(await runChatty(client, deployment, { lines: LINES, delayMs: DELAY_MS, ledger }));
      await waitForAll(client, ids, ["RUNNING"], 90_000);
      const before = balancer.figures();

      await doomed.kill();
      // Runs made after the kill are claimed through the survivor (its LISTEN hears of them).
      for (let i = 0; i < AFTER; i++) ids.push(await runChatty(client, deployment, { lines: LINES, delayMs: 0, ledger }));

      const done = await waitForAll(client, ids, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], 150_000);
      const figures = await measure(client, ids, LINES, ledger, "one of two replicas SIGKILLed");
      const after = balancer.figures();
      process.stdout.write(`[faults] replicas: ${JSON.stringify({ connectionsBeforeKill: before.connections, connectionsAtEnd: after.connections, connectionsRefusedByTheDeadOne: after.refused, survivorAlive: survivor.alive() })}\n`);

      // Both replicas served before the kill, so the kill cut live connections.
      expect(before.connections[doomed.port]).toBeGreaterThan(0);
      expect(before.connections[survivor.port]).toBeGreaterThan(0);
      expect(done.map((r) => `${r.state_type} ${r.state.message ?? ""}`)).toEqual(ids.map(() => "COMPLETED "));
      expect(figures).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      expect(survivor.alive(), survivor.output()).toBe(true);
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
