import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { startTestServer, startWorkerProcess, WORKER_FIXTURE, type TestServer, type WorkerProcess } from "../e2e/worker-setup.js";
import { deployChatty, measure, runChatty, waitForAll } from "./harness.js";

/**
 * The issue's race: two process workers, 300 runs of one pool made at once. What is raced is the
 * claim and the launch (the run token, the supervision, the final report); how a run's code is
 * started is not. A cold `baton flow-run execute` costs about 1.8 s of CPU on this kind of
 * machine under load, so 300 of them (9 minutes of one core) cannot fit the suite's 6 minutes:
 * most runs belong to a `reuse_process` deployment (each worker runs them in its own long-lived
 * executor, each run with its own token, context and report), and a share are cold processes
 * of their own (started from a spare), racing in the same pool. Either way each execution
 * appends a "start" line to the ledger, and the server refuses a second Running, so a run
 * claimed or launched twice shows.
 */
const RUNS = Number(process.env.BATON_FAULTS_RACE_RUNS ?? 300);
/** Runs of the cold deployment, among RUNS. */
const COLD = Math.min(RUNS, Number(process.env.BATON_FAULTS_RACE_COLD ?? 20));
/** Time enough for each run, on a slow machine. */
const WAIT_MS = Math.max(240_000, RUNS * 1_000 + COLD * 3_000);
const LIMIT = 10;

describe("two process workers racing for the runs of one pool on PostgreSQL", () => {
  let t: TestServer;
  const scratch = tempDir("baton-faults-race-");
  beforeAll(async () => {
    t = await startTestServer("postgresql");
  });
  afterAll(async () => {
    await t?.close();
    scratch.remove();
  });

  test(`${RUNS} runs made at once (${COLD} of them cold processes): each runs exactly once, none is lost, both workers take a share`, async () => {
    const workers: WorkerProcess[] = [];
    try {
      for (const name of ["racer-a", "racer-b"]) workers.push(startWorkerProcess(t, { type: "process", pool: "race", pollWaitSeconds: 5, limit: LIMIT, name, spares: 1 }));
      // A worker is a Node process loading Baton: at load 40 on two cores one took over 60 s to start.
      await Promise.all(workers.map((w) => w.waitForEvent("started", undefined, 180_000)));
      const reused = await deployChatty(t.client, "race", [], "chatty-reused", { job_variables: { working_dir: WORKER_FIXTURE, reuse_process: true, reuse_limit: LIMIT } });
      const cold = await deployChatty(t.client, "race", [], "chatty-cold");
      const ledger = `${scratch.path}/ledger`;
      const started = Date.now();
      // The cold runs interleaved with the reused ones, so both kinds are claimed throughout.
      const every = COLD > 0 ? Math.floor(RUNS / COLD) : Infinity;
      const ids = await Promise.all(
        Array.from({ length: RUNS }, (_, i) => runChatty(t.client, i % every === 0 && i / every < COLD ? cold : reused, { lines: 1, delayMs: 0, ledger })),
      );
      const done = await waitForAll(t.client, ids, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], WAIT_MS);
      const seconds = (Date.now() - started) / 1000;
      const figures = await measure(t.client, ids, 1, ledger, `${RUNS} runs raced by 2 workers`);
      const launched = workers.map((w) => w.events.filter((e) => e.type === "launched").length);
      const launchedIds = workers.flatMap((w) => w.events.filter((e) => e.type === "launched").map((e) => e.flowRunId));
      // A run launched twice is a fault unless the server took it back in between (its lease
      // ended before it started, on a machine this loaded): then the first launch found it no
      // longer its own and left it, which the ledger's single "start" confirms.
      const twice = [...new Set(launchedIds.filter((id, i) => launchedIds.indexOf(id) !== i))] as string[];
      const requeuedBetween: string[] = [];
      for (const id of twice) {
        const states = (await t.client.call("flowRunStates", { params: { id }, query: { limit: 50 } as never })).items;
        const firstPending = states.findIndex((s) => s.type === "PENDING");
        if (states.slice(firstPending + 1).some((s) => s.type === "SCHEDULED")) requeuedBetween.push(id);
        if (twice.indexOf(id) < 5) process.stdout.write(`[faults] launched twice: ${id}: ${states.map((s) => `${s.timestamp.slice(11, 23)} ${s.type} ${s.message ?? ""}`).join(" | ")}\n`);
      }
      process.stdout.write(
        `[faults] 2 workers racing: ${JSON.stringify({ runs: RUNS, cold: COLD, limitEach: LIMIT, launchedByA: launched[0], launchedByB: launched[1], launchedAgainAfterRequeue: twice.length, seconds, runsPerSecond: Number((RUNS / seconds).toFixed(2)) })}\n`,
      );

      expect(done.map((r) => r.state_type)).toEqual(ids.map(() => "COMPLETED"));
      expect(figures).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      // Each run launched by one worker at a time (again only after the server took it back), and the race was a race: both workers won some.
      expect(new Set(launchedIds).size).toBe(RUNS);
      expect(requeuedBetween).toEqual(twice);
      expect(Math.min(...launched)).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, WAIT_MS + 60_000);
});
