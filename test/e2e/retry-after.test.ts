import http from "node:http";
import type { AddressInfo } from "node:net";
import { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * A 429 storm between the clients and a real server (issue 11 item 9): a proxy on 127.0.0.1
 * answers every third API request 429 with Retry-After: 1 instead of forwarding it. The SDK client,
 * the CLI and a worker with its run wait and send again: every call succeeds, the run completes
 * with its log lines.
 */
function stormProxy(target: string): Promise<{ url: string; refused: () => number; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let count = 0;
  let refused = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    if (count % 3 === 0 && req.url?.startsWith("/api/") && !req.url.startsWith("/api/events")) {
      refused += 1;
      req.resume();
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ code: "TooManyRequests", message: "TooManyRequests: slow down (the test's proxy)" }));
      return;
    }
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/api`,
        refused: () => refused,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

describe.each(DATABASE_KINDS)("clients ride out 429 answers (%s)", (kind) => {
  let t: TestServer;
  let proxy: Awaited<ReturnType<typeof stormProxy>>;
  beforeAll(async () => {
    t = await startTestServer(kind);
    proxy = await stormProxy(t.apiUrl);
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  test("the SDK client and the CLI wait Retry-After and send again", async () => {
    const client = new BatonClient({ apiUrl: proxy.url, apiKey: t.apiKey });
    try {
      for (let i = 0; i < 6; i++) await client.createFlowRun({ flow_name: `storm-${i}` });
      const runs = await client.listFlowRuns({ limit: 50 });
      expect(runs.items.filter((r) => r.flow_name.startsWith("storm-"))).toHaveLength(6);
    } finally {
      await client.close();
    }
    const env = { BATON_HOME: t.home.path, BATON_API_URL: proxy.url, BATON_API_KEY: t.apiKey };
    for (let i = 0; i < 3; i++) {
      const cli = await runBaton(["flow-run", "ls"], { env });
      expect(cli.code, cli.stderr).toBe(0);
    }
    expect(proxy.refused()).toBeGreaterThan(3);
  }, 120_000);

  test("a worker and its run carry on through the storm: the run completes with its logs", async () => {
    await t.client.call("createWorkPool", { body: { name: "storm", type: "process" } });
    const before = proxy.refused();
    const worker = startWorkerProcess(t, { pool: "storm", type: "process", pollWaitSeconds: 1 }, { BATON_API_URL: proxy.url });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "quick", name: "storm", entrypoint: "flows/behaviours.ts:quick", pull_steps: [], work_pool_name: "storm", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      expect(done.state_type, `${done.state.message ?? ""}\n${worker.output()}`).toBe("COMPLETED");
      // The engine's last line is sent after the final state, through the storm too.
      await waitFor(async () => ((await runLogs(t.client, run.id)).some((l) => l.startsWith("Finished in state")) ? true : undefined), "the run's last log line", 60_000);
      expect(proxy.refused()).toBeGreaterThan(before);
    } finally {
      await worker.stop();
    }
  }, 180_000);
});
