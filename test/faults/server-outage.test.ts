import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { deployChatty, measure, runChatty, startFaultWorker, startServerProcess, waitForAll, type ServerProcess } from "./harness.js";

const RUNS = 5;
const LINES = 200;
const DELAY_MS = 100; // each run logs for about 20 s, most of it while the server is down, and ends before it is back
const OUTAGE_MS = 30_000;
/** Shorter than the outage: without the grace after a start, every run would be declared Crashed at once. */
const HEARTBEAT_TIMEOUT_SECONDS = 8;

/**
 * One test per database, run at the same time: each has its own database, server process and
 * worker, and most of each is the outage itself (waiting), so they need not take turns.
 */
describe("a server killed (SIGKILL) for 30 s while runs log and finish", () => {
  test.concurrent.each(DATABASE_KINDS)("on %s: loses no log line and no final state, every run ends Completed, once", async (kind) => {
    const db: TestDatabase = await createTestDatabase(kind);
    const scratch = tempDir("baton-faults-outage-");
    let server: ServerProcess | undefined;
    let worker: ReturnType<typeof startFaultWorker> | undefined;
    try {
      server = await startServerProcess(db.url, { BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS: String(HEARTBEAT_TIMEOUT_SECONDS) });
      worker = startFaultWorker(server, { pool: "outage", limit: RUNS, name: "outage-worker" }, { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "2" });
      await worker.waitForEvent("started", undefined, 60_000);
      const deployment = await deployChatty(server.client, "outage");
      const ledger = `${scratch.path}/ledger`;
      const ids: string[] = [];
      for (let i = 0; i < RUNS; i++) ids.push(await runChatty(server.client, deployment, { lines: LINES, delayMs: DELAY_MS, ledger }));
      await waitForAll(server.client, ids, ["RUNNING"], 90_000);
      // A few lines in, then the server is gone: the runs go on logging and finish while it is down.
      await waitFor(async () => ((await server!.client.listLogs({ flow_run_id: ids[0]!, limit: 10 })).items.length >= 5 ? true : undefined), "the first lines", 30_000);
      await server.kill();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      // Runs whose flow returned while nobody could take their final state: they kept it until now.
      const endedWhileDown = endsIn(ledger);
      await server.start();

      const done = await waitForAll(server.client, ids, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], 120_000);
      const figures = await measure(server.client, ids, LINES, ledger, `server on ${kind} killed for ${OUTAGE_MS / 1000} s`);
      process.stdout.write(`[faults] server on ${kind} down ${OUTAGE_MS / 1000} s: ${JSON.stringify({ runsEndedWhileDown: endedWhileDown, workerAlive: worker.child.exitCode === null })}\n`);
      expect(done.map((r) => `${r.state_type} ${r.state.message ?? ""}`)).toEqual(ids.map(() => "COMPLETED "));
      expect(figures).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      expect(endedWhileDown).toBeGreaterThan(0);
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await worker?.stop();
      await server?.close();
      await db.drop();
      scratch.remove();
    }
  }, 300_000);
});

/** How many runs wrote their "end" line to the ledger so far. */
function endsIn(ledger: string): number {
  return readFileSync(ledger, "utf8").split("\n").filter((line) => line.endsWith(" end")).length;
}
