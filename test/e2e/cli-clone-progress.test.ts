import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BATON_BIN, cleanEnv } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { makeRepo } from "../helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../helpers/http-git-server.js";
import { tempDir } from "../helpers/tmp.js";
import { ETL_FLOW } from "./deploy-project.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/**
 * Issue 22, part 8: a pull step's clone, as `baton flow-run execute` runs it (what a worker starts),
 * shows git's progress on a terminal, and nothing of it in a pipe. The terminal is a real
 * pseudo-terminal (`script`), its raw bytes kept, so every rewrite of the line can be read. (A
 * credential never reaches the URL shown: the server refuses repository URLs with one.)
 */
const SLOW = 300_000;

/** Runs `baton ARGS` on a pseudo-terminal; answers its exit code and every byte it wrote. */
function onTerminal(args: string[], env: Record<string, string>, dir: string): Promise<{ code: number | null; raw: string }> {
  const log = join(dir, `typescript-${Date.now()}`);
  const command = [process.execPath, BATON_BIN, ...args].map((a) => `'${a}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qefc", command, log], { env: cleanEnv(env), stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, raw: readFileSync(log, "utf8") }));
  });
}

describe.each(DATABASE_KINDS)("a clone's progress in baton flow-run execute (%s)", (kind) => {
  let server: CliServer;
  let http: HttpGitServer;
  const dir = tempDir("baton-clone-progress-");

  /** A run of the deployment that clones repository NAME (each its own, so each clone starts with no mirror). */
  const runOf = async (name: string): Promise<string> => {
    const run = await server.baton(["deployment", "run", `etl-flow/${name}`]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trim();
  };

  beforeAll(async () => {
    const files: Record<string, string> = { "flows/etl.ts": ETL_FLOW };
    for (let i = 0; i < 40; i++) files[`data/file-${i}.txt`] = `${i} `.repeat(4000);
    const source = join(dir.path, "source");
    makeRepo(source, files);
    [server, http] = await Promise.all([startCliServer(kind), startHttpGitServer({})]);
    for (const name of ["tty", "pipe"]) http.addRepo(name, source);
    expect((await server.baton(["work-pool", "create", "cloning", "--type", "process"])).code).toBe(0);
    const project = join(dir.path, "deploy");
    makeRepo(project, {
      "baton.yaml": [
        "deployments:",
        ...["tty", "pipe"].flatMap((name) => [
          `  - name: ${name}`,
          "    entrypoint: flows/etl.ts:etlFlow",
          "    work_pool: { name: cloning }",
          "    pull:",
          `      - git_clone: { repository: "${http.url(name)}", branch: main }`,
        ]),
        "",
      ].join("\n"),
      "flows/etl.ts": ETL_FLOW,
    });
    const deployed = await server.baton(["deploy", "--all"], { cwd: project });
    expect(deployed.code, deployed.stderr).toBe(0);
  }, SLOW);
  afterAll(async () => {
    await Promise.all([server?.stop(), http?.stop()]);
    dir.remove();
  });

  it("on a terminal: the step, git's phases with counts up to 100%, the time so far, then the commit", async () => {
    const id = await runOf("tty");
    const { code, raw } = await onTerminal(["flow-run", "execute", id], server.env, dir.path);
    expect(code, raw).toBe(0);
    const url = http.url("tty");
    expect(raw).toContain(`Cloning ${url}: Counting objects`);
    expect(raw).toMatch(new RegExp(`Cloning ${url.replace(/[.]/g, "\\.")}: Receiving objects 100% \\((\\d+)/\\1\\) \\(\\d+(ms|\\.\\ds)\\)`));
    expect(raw).toMatch(new RegExp(`Cloned ${url.replace(/[.]/g, "\\.")} at [0-9a-f]{7} in \\d`));
    expect(raw).toContain("ended Completed");
  }, SLOW);

  it("without a terminal (a worker's pipe, a CI log): no progress at all, the run still completes", async () => {
    const id = await runOf("pipe");
    const plain = await server.baton(["flow-run", "execute", id]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain("ended Completed");
    expect(plain.stderr + plain.stdout).not.toMatch(/Cloning|Cloned|objects|\r/);
  }, SLOW);
});
