/*
 * reuse_process (issue 14, item 3): a real process worker runs a deployment's runs in one
 * long-lived executor per deployment version. Proved by pids and by a module-level counter that
 * the runs share; and that what is each run's own is not shared: its run context and parameters,
 * its credentials (never in process.env, where another run's code could read them), and an
 * environment or a version that differs gets an executor of its own.
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "reuse");

interface Seen {
  pid: number;
  runsInThisProcess: number;
  doubled: number;
  contextRunId: string;
  contextN: number;
  envToken: string | null;
  envRunId: string | null;
  marker: string | null;
  markerHash: string;
}

describe("process worker reuse_process on sqlite", () => {
  let t: TestServer;
  let worker: WorkerProcess;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    worker = startWorkerProcess(t, { pool: "reuse", type: "process", pollWaitSeconds: 2, spares: 0, limit: 10 });
    await worker.waitForEvent("started");
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  const deploy = async (name: string, jobVariables: Record<string, unknown>) =>
    (
      await t.client.call("upsertDeployment", {
        body: { flow_name: "reuse-probe", name, entrypoint: "probe.ts:probe", work_pool_name: "reuse", pull_steps: [{ set_working_directory: { directory: FIXTURE } }], job_variables: jobVariables },
      })
    ).deployment;

  const start = async (deploymentId: string, parameters: Record<string, unknown>) => (await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters } })).id;

  const seen = async (runId: string): Promise<Seen> => {
    const done = await waitForState(t.client, runId, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type, `${done.state.message ?? ""}\n${worker.output()}`).toBe("COMPLETED");
    const line = (await runLogs(t.client, runId)).find((l) => l.startsWith("SEEN "));
    expect(line).toBeDefined();
    return JSON.parse(line!.slice(5)) as Seen;
  };

  test("runs of one deployment share a process and its module state, one after another and at the same time, each with its own context, parameters and credentials", async () => {
    const deployment = await deploy("shared", { reuse_process: true, env: { REUSE_MARKER: "deployment-env" } });
    const first = await seen(await start(deployment.id, { n: 1 }));
    const second = await seen(await start(deployment.id, { n: 2 }));
    expect(second.pid).toBe(first.pid);
    expect(second.runsInThisProcess).toBe(first.runsInThisProcess + 1);

    // Two at once in the same process: the first waits until the second has started.
    const dir = mkdtempSync(join(tmpdir(), "baton-reuse-"));
    const a = await start(deployment.id, { n: 3, dir, waitFor: 4 });
    const b = await start(deployment.id, { n: 4, dir });
    const [third, fourth] = await Promise.all([seen(a), seen(b)]);
    expect(new Set([third.pid, fourth.pid])).toEqual(new Set([first.pid]));

    for (const [s, id, n] of [[third, a, 3], [fourth, b, 4]] as const) {
      expect(s.contextRunId).toBe(id);
      expect(s.contextN).toBe(n);
      expect(s.doubled).toBe(n * 2);
      // The run's token and identity are not in the shared environment: the job's env is.
      expect(s.envToken).toBeNull();
      expect(s.envRunId).toBeNull();
      expect(s.marker).toBe("deployment-env");
    }
  });

  test("another environment, another deployment, or a new version of the deployment gets another process; without reuse_process every run has its own", async () => {
    const deployment = await deploy("versions", { reuse_process: true, env: { REUSE_MARKER: "v1" } });
    const v1 = await seen(await start(deployment.id, { n: 1 }));
    const other = await deploy("other-env", { reuse_process: true, env: { REUSE_MARKER: "other" } });
    const otherSeen = await seen(await start(other.id, { n: 1 }));
    expect(otherSeen.pid).not.toBe(v1.pid);
    expect(otherSeen.marker).toBe("other");
    expect(otherSeen.runsInThisProcess).toBe(1);

    // Deploying again (a new commit, new env) starts a new executor; the old one drains and exits.
    await deploy("versions", { reuse_process: true, env: { REUSE_MARKER: "v2" } });
    const v2 = await seen(await start(deployment.id, { n: 2 }));
    expect(v2.pid).not.toBe(v1.pid);
    expect(v2.marker).toBe("v2");
    expect(v2.runsInThisProcess).toBe(1);
    await waitForGone(v1.pid);

    const plain = await deploy("plain", {});
    const p1 = await seen(await start(plain.id, { n: 1 }));
    const p2 = await seen(await start(plain.id, { n: 2 }));
    expect(p2.pid).not.toBe(p1.pid);
    expect([p1.runsInThisProcess, p2.runsInThisProcess]).toEqual([1, 1]);
  });

  test("a secret in the job's env is the executor's: masked in every run's logs, and a new value starts a new executor, so no run sees a value it was not launched with", async () => {
    const hash = (v: string) => createHash("sha256").update(v).digest("hex").slice(0, 12);
    await t.client.call("setSecret", { params: { name: "reuse-secret" }, body: { value: "first-secret-value", work_pools: ["*"] } });
    const deployment = await deploy("with-secret", { reuse_process: true, env: { REUSE_MARKER: "{{ baton.secrets.reuse-secret }}" } });
    const one = await seen(await start(deployment.id, { n: 1 }));
    const two = await seen(await start(deployment.id, { n: 2 }));
    expect(two.pid).toBe(one.pid);
    for (const s of [one, two]) {
      expect(s.marker).toBe("****");
      expect(s.markerHash).toBe(hash("first-secret-value"));
    }
    await t.client.call("setSecret", { params: { name: "reuse-secret" }, body: { value: "second-secret-value" } });
    const three = await seen(await start(deployment.id, { n: 3 }));
    expect(three.pid).not.toBe(one.pid);
    expect(three.markerHash).toBe(hash("second-secret-value"));
    expect(three.runsInThisProcess).toBe(1);
    expect(worker.output()).not.toContain("first-secret-value");
    expect(worker.output()).not.toContain("second-secret-value");
  });
});

async function waitForGone(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`the retired executor ${pid} is still running`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
