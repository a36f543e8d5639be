import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startBaton, waitFor } from "../helpers/cli.js";
import { sampleValue, scrape } from "../helpers/prometheus.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

// The worker's metrics are its own (no database behind them): one database kind is enough.
describe("a worker's /healthz and /metrics", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await t?.close();
  });

  const deploy = async (name: string, jobVariables: Record<string, unknown>) =>
    (await t.client.call("upsertDeployment", { body: { flow_name: "quick", name, entrypoint: "flows/behaviours.ts:quick", pull_steps: [], work_pool_name: "metered", job_variables: jobVariables } })).deployment;

  test("count runs in flight, launches, failed launches and claim waits, and go unhealthy when the server stops answering heartbeats", async () => {
    const worker = startWorkerProcess(t, { pool: "metered", type: "process", pollWaitSeconds: 2, heartbeatSeconds: 1, metrics: { port: 0 } });
    try {
      const started = await worker.waitForEvent("started");
      const base = started.metricsUrl as string;
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", last_heartbeat: expect.any(String) });
      let text = await scrape(`${base}/metrics`);
      expect(sampleValue(text, "baton_worker_runs_in_flight", { pool: "metered" })).toBe(0);
      expect(sampleValue(text, "baton_worker_launches_total")).toBe(0);

      const slow = await deploy("slow", { working_dir: WORKER_FIXTURE });
      const run = await t.client.call("runDeployment", { params: { id: slow.id }, body: { parameters: { sleepMs: 4000 } } });
      await waitForState(t.client, run.id, ["RUNNING"]);
      text = await scrape(`${base}/metrics`);
      expect(sampleValue(text, "baton_worker_runs_in_flight")).toBe(1);
      expect(sampleValue(text, "baton_worker_launches_total")).toBe(1);
      expect(sampleValue(text, "baton_worker_claimed_runs_total")).toBe(1);
      expect(sampleValue(text, "baton_worker_claim_wait_seconds_count", { outcome: "runs" })).toBe(1);
      await waitForState(t.client, run.id, ["COMPLETED"]);
      await waitFor(async () => sampleValue(await scrape(`${base}/metrics`), "baton_worker_runs_in_flight") === 0 || undefined, "no run in flight");

      // A working directory that does not exist: the process cannot be started.
      const broken = await deploy("broken", { working_dir: "/nonexistent/baton-metrics-test" });
      const failed = await t.client.call("runDeployment", { params: { id: broken.id }, body: {} });
      await waitForState(t.client, failed.id, ["CRASHED"]);
      await waitFor(async () => sampleValue(await scrape(`${base}/metrics`), "baton_worker_launch_failures_total") === 1 || undefined, "the failed launch counted");

      // The server goes away: after three missed beats the worker says it is unhealthy.
      await t.server.close();
      const answer = await waitFor(async () => {
        const r = await fetch(`${base}/healthz`);
        return r.status === 503 ? r.json() : undefined;
      }, "/healthz to answer 503");
      expect(answer).toMatchObject({ status: "unhealthy", reason: expect.stringMatching(/no heartbeat accepted by the server for \d+s/) });
    } finally {
      await worker.stop();
    }
  });
});

describe("baton worker start --metrics-port", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await t?.close();
  });

  test("serves /healthz and /metrics and prints where", async () => {
    const child = startBaton(["worker", "start", "--pool", "cli-metered", "--type", "process", "--spares", "0", "--metrics-port", "0"], { env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey } });
    try {
      const line = await waitFor(() => child.output().split("\n").find((l) => l.startsWith("Health: ")), `the health line; output:\n${child.output()}`);
      const base = /Health: (http:\/\/127\.0\.0\.1:\d+)\/healthz, metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/.exec(line)![1]!;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(sampleValue(await scrape(`${base}/metrics`), "baton_worker_runs_in_flight", { pool: "cli-metered" })).toBe(0);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("close", r));
    }
  });

  test("refuses a port that is not a number, naming the option", async () => {
    const { runBaton } = await import("../helpers/cli.js");
    const result = await runBaton(["worker", "start", "--pool", "x", "--metrics-port", "ninety"], { env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/metrics-port.*must be a port number/);
  });
});
