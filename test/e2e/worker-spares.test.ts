/*
 * Spare executors: a real process worker (its own process) keeps Node processes with Baton
 * loaded, and each run takes one. Proved by pids: the run's process is one the worker had started
 * before the run was created. Each run still has a process, environment, HOME and folder of its
 * own; a worker with spares 0 starts every run cold. The flow is TypeScript behind a pull step,
 * compiled once (in an ES module package or a CommonJS one): the second run of the same file adds
 * nothing to the compile cache.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "spares");
const FIXTURE_CJS = join(import.meta.dirname, "..", "fixtures", "spares-cjs");

interface Seen {
  pid: number;
  marker: string | null;
  home: string;
  cwd: string;
  homeLeftover: boolean;
  cwdLeftover: boolean;
}

/** The spare executors of a worker: its children running spare-entry.js. */
function sparesOf(workerPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === workerPid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("spare-entry.js")) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe.each(DATABASE_KINDS)("process worker spares on %s", (kind) => {
  let t: TestServer;
  let warm: WorkerProcess;
  let cold: WorkerProcess;
  beforeAll(async () => {
    t = await startTestServer(kind);
    warm = startWorkerProcess(t, { pool: "warm", type: "process", pollWaitSeconds: 2, spares: 1 });
    cold = startWorkerProcess(t, { pool: "cold", type: "process", pollWaitSeconds: 2, spares: 0 });
    await warm.waitForEvent("started");
    await cold.waitForEvent("started");
  }, 60_000);
  afterAll(async () => {
    await warm?.stop();
    await cold?.stop();
    await t?.close();
  });

  const deploy = async (pool: string, name: string, env: Record<string, string> = {}, directory = FIXTURE) =>
    (
      await t.client.call("upsertDeployment", {
        body: { flow_name: "spare-probe", name, entrypoint: "probe.ts:probe", work_pool_name: pool, pull_steps: [{ set_working_directory: { directory } }], job_variables: { env } },
      })
    ).deployment;

  const run = async (deploymentId: string): Promise<Seen> => {
    const created = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
    const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
    const line = (await runLogs(t.client, created.id)).find((l) => l.startsWith("SEEN "));
    expect(line).toBeDefined();
    return JSON.parse(line!.slice(5)) as Seen;
  };

  const waitForSpare = (worker: WorkerProcess, not: number[] = []) =>
    waitFor(() => sparesOf(worker.child.pid!).find((pid) => !not.includes(pid)), "a spare executor of the worker", 30_000);

  test("a run takes a spare started before it was created, another spare replaces it, and the next run sees nothing of the previous one", async () => {
    const first = await waitForSpare(warm);
    const secretRun = await deploy("warm", "with-marker", { SPARE_MARKER: "run-one-only" });
    const plain = await deploy("warm", "plain");

    const one = await run(secretRun.id);
    expect(one.pid).toBe(first);
    expect(one.marker).toBe("run-one-only");
    expect(one.homeLeftover).toBe(false);

    const second = await waitForSpare(warm, [first]);
    const two = await run(plain.id);
    expect(two.pid).toBe(second);
    expect(two.pid).not.toBe(one.pid);
    expect(two.marker).toBeNull();
    expect(two.homeLeftover).toBe(false);
    expect(two.cwdLeftover).toBe(false);
    expect(two.home).not.toBe(one.home);
    expect(two.cwd).not.toBe(one.cwd);
    expect(two.cwd).toMatch(/baton-run-\w+\/work$/);
  }, 120_000);

  test.each([
    ["an ES module", FIXTURE],
    ["a CommonJS", FIXTURE_CJS],
  ])("the same flow file (%s package) is compiled once: its second run adds nothing to the compile cache", async (what, directory) => {
    const deployment = await deploy("cold", `compiled-${what.split(" ").at(-1)}`, {}, directory);
    const cache = join(t.home.path, "compile-cache");
    const entries = () => readdirSync(cache, { recursive: true }).map(String).sort();
    await run(deployment.id);
    const afterFirst = await waitFor(() => (entries().some((e) => e.includes("/")) ? entries() : undefined), "a compiled file in the cache");
    await run(deployment.id);
    expect(entries()).toEqual(afterFirst);
  }, 120_000);

  test("a worker with spares 0 keeps none and still runs flows, each in a process started for it", async () => {
    const deployment = await deploy("cold", "cold-run");
    const seen = await run(deployment.id);
    expect(sparesOf(cold.child.pid!)).toEqual([]);
    expect(seen.marker).toBeNull();
    expect(seen.homeLeftover).toBe(false);
  }, 120_000);
});
