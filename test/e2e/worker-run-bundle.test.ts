/*
 * The run bundle (issue 14): a process worker starts a run's process (cold, a spare, a reused
 * executor) from the CLI's bundle (packages/cli/dist/run-bundle, built by `npm run build`), and
 * the flow file's "baton" is that process's one SDK instance: the flow's logger and its task run
 * in the run's context (a second instance would have none) and the task run is recorded (its tag
 * is checked with the API's schemas, the bundle's "baton-core" entry, required on first use). Proved
 * for the three ways a flow file is loaded: a compiled ES module, a compiled CommonJS file, and
 * tsx (a file Baton cannot compile itself). A failed task's stored stack names the flow file and
 * none of the bundle's frames. The fallback without a bundle: packages/worker/src/process/run-bundle.test.ts.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findRunBundle } from "../../packages/worker/src/process/run-bundle.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "run-bundle");
const BUNDLE = join(import.meta.dirname, "..", "..", "packages", "cli", "dist", "run-bundle");

describe.each(DATABASE_KINDS)("runs started from the run bundle on %s", (kind) => {
  let t: TestServer;
  let warm: WorkerProcess;
  let cold: WorkerProcess;
  beforeAll(async () => {
    // Built by `npm run build` (npm test runs it): without it this file proves nothing.
    expect(findRunBundle(BUNDLE), `no current run bundle in ${BUNDLE}: run npm run build`).not.toBeNull();
    t = await startTestServer(kind);
    warm = startWorkerProcess(t, { pool: "bundle-warm", type: "process", pollWaitSeconds: 2, spares: 1 });
    cold = startWorkerProcess(t, { pool: "bundle-cold", type: "process", pollWaitSeconds: 2, spares: 0, limit: 4 });
    await warm.waitForEvent("started");
    await cold.waitForEvent("started");
  }, 60_000);
  afterAll(async () => {
    await warm?.stop();
    await cold?.stop();
    await t?.close();
  });

  const deploy = async (pool: string, name: string, fixture: string, jobVariables: Record<string, unknown> = {}) =>
    (
      await t.client.call("upsertDeployment", {
        body: { flow_name: "bundle-probe", name, entrypoint: "probe.ts:probe", work_pool_name: pool, pull_steps: [{ set_working_directory: { directory: join(FIXTURES, fixture) } }], job_variables: jobVariables },
      })
    ).deployment;

  const run = async (deploymentId: string) => {
    const created = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
    const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
    const tasks = (await t.client.call("listTaskRuns", { query: { flow_run_id: created.id, limit: 10 } })).items;
    const line = (await runLogs(t.client, created.id)).find((l) => l.startsWith("BUNDLE "));
    return { done, tasks, seen: line ? (JSON.parse(line.slice(7)) as { cmdline: string[]; doubled: number }) : undefined };
  };

  test.each([
    ["a compiled ES module", "esm", "bundle-warm", {}, "spare-entry.js"],
    ["a compiled CommonJS file", "cjs", "bundle-cold", {}, "run.js"],
    ["a file tsx loads", "esm-tsx", "bundle-cold", {}, "run.js"],
    ["a compiled ES module in a reused executor", "esm", "bundle-cold", { reuse_process: true }, "reuse-entry.js"],
  ])("%s gets the SDK instance of the bundle its process started from", async (_, fixture, pool, jobVariables, script) => {
    const deployment = await deploy(pool, `${fixture}-${script}`, fixture, jobVariables);
    // The spare's first run may beat its start; the second finds one waiting.
    for (let i = 0; i < (script === "spare-entry.js" ? 2 : 1); i++) {
      const { done, tasks, seen } = await run(deployment.id);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      expect(seen?.doubled).toBe(42);
      expect(tasks.map((task) => [task.name.replace(/-\d+$/, ""), task.state_type])).toEqual([["bundle-double", "COMPLETED"]]);
      if (i === 0 && script === "spare-entry.js") continue;
      expect(seen?.cmdline[1]).toBe(join(BUNDLE, script));
    }
  }, 120_000);

  test("a failed task's stored stack names the flow file's lines, not the bundle's", async () => {
    const deployment = await deploy("bundle-cold", "fails", "esm", { env: { BUNDLE_FAIL: "1" } });
    const { done, tasks } = await run(deployment.id);
    expect(done.state_type).toBe("FAILED");
    const stack = (tasks[0]?.state.data as { error?: { stack?: string } } | undefined)?.error?.stack ?? "";
    expect(stack).toMatch(/^Error: bundle probe failed on purpose\n/);
    expect(stack).toMatch(/\(probe\.ts:8:\d+\)\n.*\(probe\.ts:13:\d+\)/);
    expect(stack).not.toMatch(/run-bundle|packages[\\/](sdk|core|cli|worker)[\\/]/);
  }, 120_000);
});
