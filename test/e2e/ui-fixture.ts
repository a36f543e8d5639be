import type { ChildProcess } from "node:child_process";
import { expect } from "vitest";
import { testApiKey } from "../helpers/api-key.js";
import { runBaton, startBaton, waitFor, type CliResult } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { callerWith } from "../helpers/call-api.js";
import { createTestDatabase, type DatabaseKind } from "../helpers/databases.js";
import { git } from "../helpers/git-repo.js";
import { freePort, tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";

/** A flow that fails with an error the run page must show. */
const FAIL_FLOW = `import { flow, getRunLogger } from "baton";
import { z } from "zod";

export const failFlow = flow({ name: "fail-flow", parameters: z.object({ source: z.string().default("s3://bucket/missing.csv") }) }, async ({ source }) => {
  getRunLogger().info(\`reading \${source}\`);
  throw new Error(\`source \${source} does not exist\`);
});
`;

/** Three deployments served by the worker's pool `runs`, one in `idle`, a pool no worker serves. */
const BATON_YAML = `deployments:
  - name: etl
    entrypoint: flows/etl.ts:etlFlow
    parameters: { limit: 2 }
    work_pool: { name: runs }
  - name: slow
    entrypoint: flows/etl.ts:slowFlow
    work_pool: { name: runs }
  - name: fail
    entrypoint: flows/fail.ts:failFlow
    work_pool: { name: runs }
  - name: idle
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: idle }
`;

/**
 * What the browser tests run against: a real `baton server start` with authentication on (the
 * admin key given as BATON_SERVER_BOOTSTRAP_API_KEY) serving the built UI, the project above
 * deployed from a git repository with `baton deploy`, and a real `baton worker start` process
 * worker on pool `runs`.
 */
export interface UiStack {
  baseUrl: string;
  adminKey: string;
  /** The API as the admin key (JSON in, JSON out; throws on a non-2xx answer). */
  api<T = any>(method: string, path: string, body?: unknown, key?: string): Promise<T>;
  baton(args: string[], options?: { cwd?: string }): Promise<CliResult>;
  /** Poll a run until `check` holds, through the API. */
  waitForRun(id: string, check: (run: any) => boolean, what: string, timeoutMs?: number): Promise<any>;
  deployment(ref: string): Promise<any>;
  stop(): Promise<void>;
}

export async function startUiStack(kind: DatabaseKind = "sqlite"): Promise<UiStack> {
  const db = await createTestDatabase(kind);
  const home = tempDir("baton-ui-home-");
  const projectDir = tempDir("baton-ui-project-");
  const port = await freePort();
  const adminKey = testApiKey();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { BATON_HOME: home.path, BATON_API_URL: `${baseUrl}/api`, BATON_API_KEY: adminKey };
  const children: (ChildProcess & { output(): string })[] = [];
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await Promise.race([new Promise((r) => child.once("close", r)), new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    }
    await db.drop();
    home.remove();
    projectDir.remove();
  };
  try {
    const server = await startBatonServer({ home: home.path, port, databaseUrl: db.url, env: { BATON_SERVER_BOOTSTRAP_API_KEY: adminKey, BATON_SERVER_SERVICES_LOOP_SECONDS: "1" } });
    children.push(server.child);
    // Three minutes, not the helper's one: `baton deploy --all` clones and loads four flows, which
    // on a two-core machine shared by several suites has taken over a minute.
    const baton: UiStack["baton"] = (args, options = {}) => runBaton(args, { env, timeoutMs: 180_000, ...(options.cwd ? { cwd: options.cwd } : {}) });
    const api: UiStack["api"] = (method, path, body, key = adminKey) => callerWith(`${baseUrl}/api`, key).ok(method, path, body);

    const project = makeProject(projectDir.path, { "baton.yaml": BATON_YAML, "flows/fail.ts": FAIL_FLOW });
    git(project.work, "push", "-q", "origin", "main");
    for (const pool of ["runs", "idle"]) {
      const created = await baton(["work-pool", "create", pool, "--type", "process"]);
      expect(created.code, created.stdout + created.stderr).toBe(0);
    }
    const deployed = await baton(["deploy", "--all"], { cwd: project.work });
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);

    const worker = startBaton(["worker", "start", "--pool", "runs", "--limit", "4", "--name", "ui-worker"], { env });
    children.push(worker);
    await waitFor(() => worker.output().includes("started on pool 'runs'") || worker.exitCode !== null, "the worker to start", 120_000);
    expect(worker.exitCode, worker.output()).toBeNull();

    return {
      baseUrl,
      adminKey,
      api,
      baton,
      stop,
      deployment: (ref) => api("GET", `/deployments/name/${ref}`),
      waitForRun: (id, check, what, timeoutMs = 180_000) =>
        waitFor(
          async () => {
            const run = await api("GET", `/flow_runs/${id}`);
            return check(run) ? run : undefined;
          },
          `run ${id} ${what}`,
          timeoutMs,
        ),
    };
  } catch (error) {
    const output = children.map((c) => c.output()).join("\n---\n");
    await stop().catch(() => undefined);
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
}
