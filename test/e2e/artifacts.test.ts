import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Artifact } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { runBaton, waitFor } from "../helpers/cli.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

// Artifacts made by flow and task code in a deployment's run, launched by a real process worker
// against a real server: they land on the run (and the task run), keep a key's versions, and
// `baton artifact` lists, inspects and deletes them.
describe.each(DATABASE_KINDS)("artifacts from a process worker's run on %s", (kind) => {
  let t: TestServer;
  let worker: WorkerProcess;
  let deploymentId: string;
  beforeAll(async () => {
    t = await startTestServer(kind);
    worker = startWorkerProcess(t, { pool: "artifacts", type: "process", pollWaitSeconds: 2, heartbeatSeconds: 1 });
    await worker.waitForEvent("started");
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "publishes-artifacts", name: "local", entrypoint: "flows/artifacts.ts:publishes", pull_steps: [], work_pool_name: "artifacts", job_variables: { working_dir: WORKER_FIXTURE } },
    });
    deploymentId = deployment.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  const runOnce = async (regions: string[]) => {
    const run = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: { regions } } });
    const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
    return run.id;
  };
  const artifactsOf = async (query: Record<string, unknown>) => (await t.client.call("listArtifacts", { query: { limit: 500, ...query } as never })).items as Artifact[];

  test("a run's artifacts: markdown, a task's table, a link, progress at 100; over the limit the flow gets ArtifactTooLarge naming it", async () => {
    const runId = await runOnce(["eu", "us"]);
    const mine = await artifactsOf({ flow_run_id: runId });
    const byType = Object.fromEntries(mine.map((a) => [a.key ?? a.type, a]));
    expect(Object.keys(byType).sort()).toEqual(["nightly-dashboard", "nightly-report", "progress", "rows-eu", "rows-us"]);
    expect(byType["nightly-report"]!.data).toContain("Loaded **40** rows from 2 regions.");
    expect(byType["progress"]!.data).toBe(100);
    expect(byType["nightly-dashboard"]!.data).toEqual({ url: "https://dashboards.example.com/nightly", text: "Dashboard" });
    expect(byType["rows-eu"]).toMatchObject({ type: "table", data: { columns: ["region", "rows"], rows: [{ region: "eu", rows: 20 }] }, description: "rows loaded in eu" });
    // The task's artifact names its task run: the one the run reported for summarize("eu").
    const tasks = (await t.client.call("listTaskRuns", { query: { flow_run_id: runId, limit: 50 } })).items;
    expect(tasks.map((x) => x.id)).toContain(byType["rows-eu"]!.task_run_id);
    expect(byType["nightly-report"]!.task_run_id).toBeNull();
    const logs = await waitFor(async () => {
      const all = await runLogs(t.client, runId);
      return all.some((l) => l.startsWith("too large:")) ? all : undefined;
    }, "the flow's ArtifactTooLarge line");
    expect(logs.find((l) => l.startsWith("too large:"))).toMatch(/ArtifactTooLarge: markdown artifact "too-big" is \d+ bytes of JSON; the limit is 524288 bytes \(ARTIFACT_MAX_BYTES\)/);
  });

  test("a key keeps one version per run, the newest current; baton artifact ls / inspect / delete", async () => {
    await runOnce(["emea"]);
    const second = await runOnce(["apac"]);
    const versions = await artifactsOf({ key: "nightly-report" });
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(versions[0]!.flow_run_id).toBe(second);
    const env = { BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, BATON_HOME: t.home.path };
    const ls = await runBaton(["artifact", "ls"], { env });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/nightly-report\s+markdown/);
    expect(ls.stdout.match(/nightly-report/g)).toHaveLength(1);
    const inspect = await runBaton(["artifact", "inspect", "nightly-report", "--json"], { env });
    expect(inspect.code, inspect.stderr).toBe(0);
    const shown = JSON.parse(inspect.stdout);
    expect(shown.latest).toMatchObject({ key: "nightly-report", flow_run_id: second });
    expect(shown.versions).toHaveLength(versions.length);
    const refused = await runBaton(["artifact", "delete", "nightly-report"], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("pass --yes");
    const deleted = await runBaton(["artifact", "delete", "nightly-report", "--yes"], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted ${versions.length} version(s) of artifact 'nightly-report'`);
    expect(await artifactsOf({ key: "nightly-report" })).toEqual([]);
    const missing = await runBaton(["artifact", "inspect", "nightly-report"], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no artifact with key "nightly-report"');
  });
});
