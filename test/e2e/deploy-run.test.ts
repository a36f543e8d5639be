import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, FlowRun } from "@baton/core";
import { startBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";
import { deployProject, killProcess, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;
const UUID = /^[0-9a-f-]{36}$/m;

const BATON_YAML = `deployments:
  - name: etl
    entrypoint: flows/etl.ts:etlFlow
    parameters: { limit: 2 }
    work_pool: { name: runs }
  - name: slow
    entrypoint: flows/etl.ts:slowFlow
    work_pool: { name: runs }
`;

describe.each(DATABASE_KINDS)("deployment runs through a real worker, on %s", (kind) => {
  let server: CliServer;
  let dir: { work: string; remove(): void } | undefined;
  let work: string;
  let worker: (ChildProcess & { output(): string }) | undefined;

  const runState = async (id: string) => (await server.json<{ flow_run: FlowRun }>(["flow-run", "inspect", id])).flow_run;

  /**
   * The pool's worker, started by the first test that needs one (the first test needs none
   * online), so that each test runs alone as in the file.
   */
  const workerStarted = async (): Promise<ChildProcess & { output(): string }> => {
    if (worker && worker.exitCode === null && worker.signalCode === null) return worker;
    const started = startBaton(["worker", "start", "--pool", "runs", "--limit", "2", "--name", "e2e-worker"], { env: server.env });
    worker = started;
    await waitFor(() => started.output().includes("Worker 'e2e-worker' started on pool 'runs'") || started.exitCode !== null, "the worker to start", 120_000);
    expect(started.exitCode, started.output()).toBeNull();
    return started;
  };

  beforeAll(async () => {
    server = await startCliServer(kind);
    dir = await deployProject(server, BATON_YAML, "runs");
    work = dir.work;
  }, SLOW);
  afterAll(async () => {
    await killProcess(worker);
    await server?.stop();
    dir?.remove();
  }, SLOW);

  it("with no worker, why says so with the fix; cancel ends a run that has not started", async () => {
    const r = await server.baton(["deployment", "run", "etl-flow/etl"]);
    expect(r.code, r.stderr).toBe(0);
    const id = UUID.exec(r.stdout)![0];
    expect(r.stdout.trim()).toBe(id);
    const why = await server.baton(["flow-run", "why", id]);
    expect(why.code, why.stderr).toBe(0);
    expect(why.stdout).toMatch(/- NO_WORKER_ONLINE: .*baton worker start --pool runs/);

    const cancel = await server.baton(["flow-run", "cancel", id]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/Cancelled/);
    expect((await runState(id)).state_type).toBe("CANCELLED");
    const again = await server.baton(["flow-run", "cancel", id]);
    expect(again.code).toBe(1);
  }, SLOW);

  it("run --watch follows a run through baton worker start to its end, with its logs", async () => {
    const worker = await workerStarted();

    const r = await server.baton(["deployment", "run", "etl-flow/etl", "--param", "limit=3", "--watch"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(UUID);
    expect(r.stdout).toMatch(/Loaded item: GAMMA/);
    expect(r.stdout).toMatch(/Final state: Completed/);
    expect(r.stdout).toMatch(/Result: 3/);
    const id = UUID.exec(r.stdout)![0];
    const run = await runState(id);
    expect(run).toMatchObject({ state_type: "COMPLETED", deployment_name: "etl", work_pool_name: "runs", parameters: { limit: 3 } });
    expect(worker.output()).toContain(`(${id}) launched`);
  }, SLOW);

  it("refuses parameters the flow's schema rejects, before a run exists", async () => {
    const r = await server.baton(["deployment", "run", "etl-flow/etl", "--param", "limit=many", "--watch"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/limit/);
    const bad = await server.baton(["deployment", "run", "etl-flow"]);
    // A deployment may be named by its name alone too (no flow's deployment is "etl-flow"): the message says which forms work.
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/DeploymentNotFound: no deployment "etl-flow"; .*name one as FLOW\/DEPLOYMENT/);
    const missing = await server.baton(["deployment", "run", "etl-flow/nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/DeploymentNotFound: no deployment "etl-flow\/nope"/);
  }, SLOW);

  it("cancelling a running run stops its process; --watch exits non-zero", async () => {
    await workerStarted();
    const watch = startBaton(["deployment", "run", "slow-flow/slow", "--watch"], { env: server.env });
    const id = await waitFor(() => /([0-9a-f]{8}-[0-9a-f-]{27})\n/.exec(watch.output())?.[1], "the run's ID", 120_000);
    await waitFor(() => watch.output().includes("slow flow started") || undefined, "the slow flow to start", 120_000);
    const cancel = await server.baton(["flow-run", "cancel", id]);
    expect(cancel.code, cancel.stderr).toBe(0);
    const code = await new Promise<number | null>((resolve) => (watch.exitCode !== null ? resolve(watch.exitCode) : watch.once("close", resolve)));
    expect(code, watch.output()).toBe(1);
    expect(watch.output()).toMatch(/Final state: Cancelled/);
    expect((await runState(id)).state_type).toBe("CANCELLED");
  }, SLOW);

  it("pauses, resumes and deletes a deployment", async () => {
    expect((await server.baton(["deployment", "pause", "etl-flow/etl"])).stdout).toContain("Deployment 'etl-flow/etl' paused");
    expect((await server.json<Deployment>(["deployment", "inspect", "etl-flow/etl"])).paused).toBe(true);
    expect((await server.baton(["deployment", "resume", "etl-flow/etl"])).stdout).toContain("resumed");
    expect((await server.json<Deployment>(["deployment", "inspect", "etl-flow/etl"])).paused).toBe(false);
    expect((await server.baton(["deployment", "delete", "etl-flow/etl", "--yes"])).stdout).toContain("Deleted deployment 'etl-flow/etl'");
    expect((await server.json<Deployment[]>(["deployment", "ls"])).map((d) => `${d.flow_name}/${d.name}`)).toEqual(["slow-flow/slow"]);
  }, SLOW);

  it("the worker stops on SIGTERM and says so", async () => {
    const worker = await workerStarted();
    worker.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => (worker.exitCode !== null ? resolve(worker.exitCode) : worker.once("close", resolve)));
    expect(code, worker.output()).toBe(0);
    expect(worker.output()).toMatch(/Received SIGTERM/);
    expect(worker.output()).toMatch(/Worker stopped/);
  }, SLOW);
});

describe("baton init", () => {
  it("writes a baton.yaml with the flows under flows/, and refuses to overwrite it", async () => {
    const dir = tempDir("baton-init-");
    const server = await startCliServer("sqlite");
    try {
      const { work } = makeProject(dir.path);
      const r = await server.baton(["init"], { cwd: work });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Wrote .*baton\.yaml with 2 deployments: etl-flow, slow-flow/);
      const again = await server.baton(["init"], { cwd: work });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/BatonYamlExists: .*baton\.yaml exists already/);
      writeFileSync(join(work, ".gitignore"), "");
      git(work, "add", "-A");
      git(work, "commit", "-q", "-m", "baton init");
      git(work, "push", "-q", "origin", "main");
      expect((await server.baton(["work-pool", "create", "default", "--type", "process"])).code).toBe(0);
      const deployed = await server.baton(["deploy", "--all"], { cwd: work });
      expect(deployed.code, deployed.stderr).toBe(0);
      expect(deployed.stdout).toMatch(/Deployment 'etl-flow\/etl-flow' created/);
      expect(deployed.stdout).toMatch(/Deployment 'slow-flow\/slow-flow' created/);
    } finally {
      await server.stop();
      dir.remove();
    }
  }, SLOW);
});
