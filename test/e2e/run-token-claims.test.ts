import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { callApi } from "../helpers/call-api.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

/**
 * Run tokens die with the claim that made them (issue 20 item 6, issue 11 item 6), with a real
 * process worker holding its own worker key: the run hands its token to the test (flows/auth-probes.ts
 * holdsToken), which uses it as an attacker who copied it would.
 */
describe.each(DATABASE_KINDS)("a run token and its claim, with a real process worker (%s)", (kind) => {
  let t: TestServer;
  const dir = tempDir("baton-claims-");
  beforeAll(async () => {
    t = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    dir.remove();
  });

  const asToken = async (token: string, path: string, init: { method?: string; body?: string } = {}) => (await callApi(t.apiUrl, token, init.method ?? "GET", path, undefined, init.body !== undefined ? { raw: init.body } : {})).status;
  const workerKey = async (name: string) => (await t.client.call("createApiKey", { body: { name, role: "worker" } })).key;

  /** A pool, a worker on it with its own key, a holdsToken deployment; the run started and its first token handed over. */
  async function startHolding(pool: string) {
    await t.client.call("createWorkPool", { body: { name: pool, type: "process" } });
    const key = await workerKey(`${pool}-worker`);
    const worker = startWorkerProcess(t, { pool, type: "process", pollWaitSeconds: 2 }, { BATON_API_KEY: key });
    await worker.waitForEvent("started");
    const tokenFile = join(dir.path, `${pool}.tokens`);
    const releaseFile = join(dir.path, `${pool}.release`);
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "holds-token", name: pool, entrypoint: "flows/auth-probes.ts:holdsToken", pull_steps: [], work_pool_name: pool, job_variables: { working_dir: WORKER_FIXTURE } },
    });
    const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { tokenFile, releaseFile } } });
    const tokens = () => (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").split("\n").filter(Boolean) : []);
    const first = await waitFor(() => tokens()[0], "the run to hand over its token", 60_000);
    return { key, worker, run: run.id, tokens, first, release: () => writeFileSync(releaseFile, "") };
  }

  test("only the worker holding the claim gets a token; revoking its key ends the token: no read, no renewal", async () => {
    let worker: WorkerProcess | undefined;
    try {
      const holding = await startHolding("revoked");
      worker = holding.worker;
      expect(holding.first).toMatch(/^batr_/);
      expect(await asToken(holding.first, `/flow_runs/${holding.run}`)).toBe(200);
      // Another worker key, valid and in the same pool's role: 403, for the run is not its claim.
      const second = new BatonClient({ apiUrl: t.apiUrl, apiKey: await workerKey("second-worker") });
      await expect(second.call("createRunToken", { params: { id: holding.run } })).rejects.toMatchObject({ status: 403 });
      await expect(second.setFlowRunState(holding.run, { type: "CANCELLED" }, true)).rejects.toMatchObject({ status: 403 });
      await second.close();

      await t.client.call("revokeApiKey", { params: { name: "revoked-worker" } });
      await waitFor(async () => ((await asToken(holding.first, `/flow_runs/${holding.run}`)) === 401 ? true : undefined), "the token of a revoked key's claim to be refused");
      expect(await asToken(holding.first, `/flow_runs/${holding.run}/token`, { method: "POST" })).toBe(401);
      expect(await asToken(holding.first, `/secrets/anything/value`)).toBe(401);
      holding.release();
    } finally {
      await worker?.stop();
    }
  }, 180_000);

  test("a cancelled run retried is a new claim: the first attempt's token stays dead, the new attempt's works", async () => {
    let worker: WorkerProcess | undefined;
    try {
      const holding = await startHolding("retried");
      worker = holding.worker;
      await t.client.call("cancelFlowRun", { params: { id: holding.run } });
      await waitForState(t.client, holding.run, ["CANCELLED"]);
      // The worker is done with the first attempt (its supervisor records the cancel last).
      await holding.worker.waitForEvent("cancelled", (e) => e.flowRunId === holding.run);
      await t.client.call("retryFlowRun", { params: { id: holding.run } });
      // Before the worker claims it again, and after: the first token is refused either way (the
      // server may see the run's row up to a second late).
      await waitFor(async () => ((await asToken(holding.first, `/flow_runs/${holding.run}`)) === 401 ? true : undefined), "the first attempt's token to be refused");
      const next = await waitFor(() => holding.tokens()[1], "the retried run's new token", 60_000).catch(async (error: Error) => {
        const run = await t.client.readFlowRun(holding.run);
        throw new Error(`${error.message}; the run is ${run.state_type} (${run.state.message ?? ""}); the worker said:\n${holding.worker.output().slice(-3000)}`);
      });
      expect(next).not.toBe(holding.first);
      expect(await asToken(next, `/flow_runs/${holding.run}`)).toBe(200);
      expect(await asToken(holding.first, `/flow_runs/${holding.run}`)).toBe(401);
      expect(await asToken(holding.first, `/flow_runs/${holding.run}/token`, { method: "POST" })).toBe(401);
      holding.release();
      const done = await waitForState(t.client, holding.run, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
    } finally {
      await worker?.stop();
    }
  }, 180_000);
});
