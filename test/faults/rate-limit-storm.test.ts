import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RUN_TOKEN_PREFIX } from "@baton/core";
import { tempDir } from "../helpers/tmp.js";
import { startTestServer, startWorkerProcess, type TestServer } from "../e2e/worker-setup.js";
import { startInterceptingProxy, type InterceptingProxy } from "./proxies.js";
import { deployChatty, measure, runChatty, waitForAll } from "./harness.js";

const BEFORE = 3;
const DURING = 3;
const LINES = 60;
const DELAY_MS = 100; // about 6 s of logging each, across the storm
const STORM_MS = 12_000;
/** In the storm, this many of every `OF` calls of a kind are refused: a limiter lets some through, so runs are claimed and started in it. */
const REFUSED = 2;
const OF = 3;

/**
 * What runs and workers send, all of it stormed: a run's logs and states (POST /reports), its
 * state changes and heartbeats, its reads of itself and its deployment (all with its run token);
 * the worker's claims, heartbeats, run-token requests (POST /flow_runs/:id/token, at each
 * launch) and its reads of the runs it supervises (with its key).
 */
const STORMED = [
  ["reports", /^POST \/api\/reports$/],
  ["set_state", /^POST \/api\/flow_runs\/[^/]+\/set_state$/],
  ["claim", /^POST \/api\/work_pools\/[^/]+\/claim$/],
  ["worker heartbeat", /^POST \/api\/work_pools\/[^/]+\/workers\/heartbeat$/],
  ["run heartbeat", /^POST \/api\/flow_runs\/[^/]+\/heartbeat$/],
  ["run token", /^POST \/api\/flow_runs\/[^/]+\/token$/],
  ["read run", /^GET \/api\/flow_runs\/[^/]+$/],
  ["read deployment", /^GET \/api\/deployments\/[^/]+$/],
] as const;

/** Calls counted by what they are and by whose credential sent them. */
class Tally {
  readonly byKind = new Map<string, number>();
  readonly byCredential = new Map<string, number>();
  add(kind: string, credential: string): void {
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    this.byCredential.set(credential, (this.byCredential.get(credential) ?? 0) + 1);
  }
  figures() {
    return { byKind: Object.fromEntries(this.byKind), byCredential: Object.fromEntries(this.byCredential) };
  }
}

describe("a storm of 429 with Retry-After on everything runs and workers send", () => {
  let t: TestServer;
  let proxy: InterceptingProxy;
  let storming = false;
  const seen = new Map<string, number>();
  const refused = new Tally();
  const passedInStorm = new Tally();
  const passedAfterStorm = new Tally();
  const scratch = tempDir("baton-faults-429-");
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    proxy = await startInterceptingProxy(t.apiUrl, (method, path, headers) => {
      const kind = STORMED.find(([, pattern]) => pattern.test(`${method} ${path}`))?.[0];
      if (!kind) return undefined;
      const credential = String(headers.authorization ?? "").startsWith(`Bearer ${RUN_TOKEN_PREFIX}`) ? "run token" : "worker key";
      if (!storming) {
        passedAfterStorm.add(kind, credential);
        return undefined;
      }
      const n = (seen.get(kind) ?? 0) + 1;
      seen.set(kind, n);
      if (n % OF >= OF - REFUSED) {
        refused.add(kind, credential);
        return { status: 429, headers: { "retry-after": "1" }, body: { code: "TooManyRequests", message: "slow down (a test's storm)" } };
      }
      passedInStorm.add(kind, credential);
      return undefined;
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
    scratch.remove();
  });

  test("runs complete with every line and their final state; the worker claims, gets run tokens and launches through it and after", async () => {
    const worker = startWorkerProcess({ ...t, apiUrl: proxy.url }, { type: "process", pool: "storm", pollWaitSeconds: 2, limit: BEFORE + DURING, name: "storm-worker", heartbeatSeconds: 1 }, { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "1" });
    try {
      await worker.waitForEvent("started", undefined, 60_000);
      const deployment = await deployChatty(t.client, "storm");
      const ledger = `${scratch.path}/ledger`;
      const ids: string[] = [];
      for (let i = 0; i < BEFORE; i++) ids.push(await runChatty(t.client, deployment, { lines: LINES, delayMs: DELAY_MS, ledger }));
      await waitForAll(t.client, ids, ["RUNNING"], 90_000);

      storming = true;
      // Runs made in the storm: claimed, given their tokens and started in it.
      for (let i = 0; i < DURING; i++) ids.push(await runChatty(t.client, deployment, { lines: LINES, delayMs: DELAY_MS, ledger }));
      await new Promise((r) => setTimeout(r, STORM_MS));
      storming = false;
      const eventsInStorm = worker.events.slice();

      const done = await waitForAll(t.client, ids, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], 120_000);
      const figures = await measure(t.client, ids, LINES, ledger, `429 storm of ${STORM_MS / 1000} s`);
      // One more run after the storm: the worker still claims, gets a token and launches.
      const last = await runChatty(t.client, deployment, { lines: 1, delayMs: 0, ledger });
      await waitForAll(t.client, [last], ["COMPLETED"], 60_000);
      const launchedInStorm = ids.slice(BEFORE).filter((id) => eventsInStorm.some((e) => e.type === "launched" && e.flowRunId === id)).length;
      process.stdout.write(
        `[faults] 429 storm: ${JSON.stringify({ refused: refused.figures(), passedInStorm: passedInStorm.figures(), passedAfterStorm: passedAfterStorm.figures(), launchedInStorm, workerAlive: worker.child.exitCode === null })}\n`,
      );

      expect(done.map((r) => `${r.state_type} ${r.state.message ?? ""}`)).toEqual(ids.map(() => "COMPLETED "));
      expect(figures).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      // The storm reached what workers and runs send all along and what they send once per run,
      // with either credential, and each kind was sent again and taken after it.
      // Run tokens come with the claim (run_tokens), so the worker no longer asks the token route;
      // the runs' own requests below ("run token" credential) show the tokens it got that way work.
      for (const kind of ["reports", "set_state", "claim", "worker heartbeat", "read run", "read deployment"]) {
        expect(refused.byKind.get(kind) ?? 0, `${kind} refused`).toBeGreaterThan(0);
        expect((passedInStorm.byKind.get(kind) ?? 0) + (passedAfterStorm.byKind.get(kind) ?? 0), `${kind} taken`).toBeGreaterThan(0);
      }
      for (const credential of ["run token", "worker key"]) expect(refused.byCredential.get(credential) ?? 0, `${credential} refused`).toBeGreaterThan(0);
      expect(launchedInStorm).toBeGreaterThan(0);
      expect(worker.child.exitCode).toBeNull();
    } finally {
      storming = false;
      await worker.stop();
    }
  }, 300_000);
});
