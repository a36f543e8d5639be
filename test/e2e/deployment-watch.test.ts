import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, type TestServer, type WorkerProcess } from "./worker-setup.js";

// What `baton deployment run --watch` prints is the CLI's alone, whichever database: one kind is enough.
describe("baton deployment run --watch of a run that fails", () => {
  let t: TestServer;
  let worker: WorkerProcess;
  const scratch = tempDir("baton-watch-");
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    worker = startWorkerProcess(t, { pool: "watch", type: "process", pollWaitSeconds: 2 });
    await worker.waitForEvent("started");
    await t.client.call("upsertDeployment", {
      body: { flow_name: "hooked", name: "watched", entrypoint: "flows/hooks.ts:hooked", pull_steps: [], work_pool_name: "watch", job_variables: { working_dir: WORKER_FIXTURE } },
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    scratch.remove();
  });

  test("prints the error once: the log lines already say it, so the closing line names only the state", async () => {
    const ledger = join(scratch.path, "fail.ledger");
    const watched = await runBaton(["deployment", "run", "hooked/watched", "--param", `ledger=${ledger}`, "--param", "mode=fail", "--watch"], {
      env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey },
    });
    expect(watched.code, watched.stderr).toBe(1);
    expect(watched.stdout).toMatch(/^Final state: Failed$/m);
    expect(watched.stdout.split("the step failed").length - 1, watched.stdout).toBeGreaterThan(0);
    expect(watched.stdout).not.toMatch(/Final state: Failed: .*the step failed/);
    expect(watched.stderr).toMatch(/baton flow-run inspect [0-9a-f-]{36}/);
  }, 120_000);
});
