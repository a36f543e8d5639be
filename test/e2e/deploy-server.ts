import type { ChildProcess } from "node:child_process";
import { expect } from "vitest";
import { runBaton, type CliResult } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../helpers/databases.js";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";

/** A real `baton server start` on a fresh database and BATON_HOME, and the CLI pointed at it. */
export interface CliServer {
  env: Record<string, string>;
  home: string;
  apiUrl: string;
  baton(args: string[], options?: { cwd?: string; input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** `baton ... --json`, exit 0 expected, stdout parsed. */
  json<T = unknown>(args: string[], cwd?: string): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

export async function startCliServer(kind: DatabaseKind): Promise<CliServer> {
  const db: TestDatabase = await createTestDatabase(kind);
  const home = tempDir("baton-home-");
  const server = await startBatonServer({ home: home.path, databaseUrl: db.url, env: { BATON_SERVER_SERVICES_LOOP_SECONDS: "1", BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS: "5" } });
  const apiUrl = server.apiUrl;
  const env = { BATON_HOME: home.path, BATON_API_URL: apiUrl };
  const baton: CliServer["baton"] = (args, options = {}) =>
    runBaton(args, { env: { ...env, ...options.env }, ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.input !== undefined ? { input: options.input } : {}) });
  return {
    env,
    home: home.path,
    apiUrl,
    baton,
    async json<T>(args: string[], cwd?: string): Promise<T> {
      const r = await baton([...args, "--json"], cwd ? { cwd } : {});
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout) as T;
    },
    output: () => server.output(),
    async stop() {
      await server.stop();
      await db.drop();
      home.remove();
    },
  };
}

/** Kill a process the test started (a worker) if it still runs, and wait until it is gone. */
export async function killProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));
}

/**
 * A pushed checkout of `baton.yaml` (see makeProject), a process pool `pool`, and `baton deploy
 * --all` from the checkout, exit 0 expected. The caller removes the folder.
 */
export async function deployProject(server: CliServer, yaml: string, pool: string): Promise<{ work: string; remove(): void }> {
  const dir = tempDir("baton-project-");
  const project = makeProject(dir.path, { "baton.yaml": yaml });
  git(project.work, "push", "-q", "origin", "main");
  expect((await server.baton(["work-pool", "create", pool, "--type", "process"])).code).toBe(0);
  const deployed = await server.baton(["deploy", "--all"], { cwd: project.work });
  expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
  return { work: project.work, remove: dir.remove };
}
