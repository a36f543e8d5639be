import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres.js";
import { deployChatty, measure, runChatty, startFaultWorker, startServerProcess, waitForAll, type ServerProcess } from "./harness.js";

const RUNS = 6;
const LINES = 80;
const DELAY_MS = 150; // about 12 s of logging each, across the restart and the terminations

describe("PostgreSQL restarted and its connections terminated under load", () => {
  let pg: PrivatePostgres;
  let server: ServerProcess;
  const scratch = tempDir("baton-faults-pg-");
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    server = await startServerProcess(pg.url);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await pg?.stop();
    scratch.remove();
  });

  test("the server stays up, answers 503 (retryable) meanwhile, reconnects; runs in flight and runs made after finish Completed with every line", async () => {
    const worker = startFaultWorker(server, { pool: "pg-faults", limit: RUNS + 4, name: "pg-worker" });
    // Requests all along: the answers during the fault are counted by status.
    const statuses = new Map<string, number>();
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const response = await fetch(`${server.apiUrl}/flow_runs?limit=5`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then(
          async (r) => `${r.status}${r.status === 503 ? ((await r.json()) as { retryable?: boolean }).retryable === true && r.headers.get("retry-after") ? " retryable" : " NOT retryable" : ""}`,
          () => "no answer",
        );
        statuses.set(response, (statuses.get(response) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await worker.waitForEvent("started", undefined, 60_000);
      const deployment = await deployChatty(server.client, "pg-faults");
      const ledger = `${scratch.path}/ledger`;
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i++) ids.push(await runChatty(server.client, deployment, { lines: LINES, delayMs: DELAY_MS, ledger }));
      await waitForAll(server.client, ids, ["RUNNING"], 90_000);

      await pg.restart();
      await new Promise((r) => setTimeout(r, 2000));
      const terminated = await pg.terminateConnections();
      await new Promise((r) => setTimeout(r, 1000));
      const terminatedAgain = await pg.terminateConnections();
      expect(server.alive(), server.output()).toBe(true);

      // Runs made after the faults are dispatched: the worker's waiting claim hears of them.
      for (let i = 0; i < 3; i++) ids.push(await runChatty(server.client, deployment, { lines: 10, delayMs: 0, ledger }));
      // The scheduler resumed by itself: a schedule made after the faults gets its runs, and they run.
      const schedule = { schedules: [{ interval: 2 }], parameters: { lines: 1, delayMs: 0, ledger } };
      const scheduled = await deployChatty(server.client, "pg-faults", [], "every-2s", schedule);
      const fromSchedule = await waitFor(async () => {
        const page = await server.client.listFlowRuns({ deployment_id: scheduled, state: "COMPLETED", limit: 10 });
        return page.items.length >= 2 ? page.items.length : undefined;
      }, "two runs of the schedule made after the faults to complete", 60_000);
      await deployChatty(server.client, "pg-faults", [], "every-2s", { ...schedule, paused: true });
      const done = await waitForAll(server.client, ids, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], 150_000);
      probing = false;
      await probe;
      const inFlight = await measure(server.client, ids.slice(0, RUNS), LINES, ledger, "PostgreSQL restarted + connections terminated (runs in flight)");
      const after = await measure(server.client, ids.slice(RUNS), 10, ledger, "PostgreSQL restarted + connections terminated (runs made after)");
      process.stdout.write(`[faults] PostgreSQL faults: ${JSON.stringify({ terminated, terminatedAgain, scheduledRunsCompletedAfter: fromSchedule, answers: Object.fromEntries(statuses), serverAlive: server.alive() })}\n`);

      expect(server.alive(), server.output()).toBe(true);
      expect(done.map((r) => `${r.state_type} ${r.state.message ?? ""}`)).toEqual(ids.map(() => "COMPLETED "));
      expect(inFlight).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      expect(after).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      // Every answer was a success or a retryable 503; never a dead server or a 500.
      expect([...statuses.keys()].filter((s) => !/^(200|503 retryable)$/.test(s))).toEqual([]);
      // The dispatch LISTEN connection came back (and woke the waiting claims).
      await waitFor(() => /LISTEN connection is back/.test(server.output()), "the LISTEN connection to be re-established", 20_000);
    } finally {
      probing = false;
      await probe;
      await worker.stop();
    }
  }, 300_000);
});
