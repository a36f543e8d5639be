import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeRepo } from "../../../../test/helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../../../../test/helpers/http-git-server.js";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { PullStepFailed, PullStepTimedOut, gitClone, runPullSteps } from "./index.js";

/**
 * What a pull step takes from a user never becomes a git option, no git or ssh child waits on
 * stdin, every step has a time limit, and a clone killed while it holds the mirror's lock does
 * not block the next one.
 */
const work = tempDir("baton-pull-limits-");
let server: HttpGitServer;
let source: string;
beforeAll(async () => {
  source = join(work.path, "source");
  makeRepo(source, { "flows/etl.ts": "export {};\n", "--stdin/marker.txt": "a folder with an option's name\n", "docs/readme.md": "docs\n" });
  server = await startHttpGitServer({});
  server.addRepo("project", source);
});
afterAll(async () => {
  await server?.stop();
  work.remove();
});

const dirs = () => {
  const d = tempDir("baton-run-");
  return { workDir: join(d.path, "work"), cacheDir: join(d.path, "cache"), remove: d.remove };
};
const context = (d: { workDir: string; cacheDir: string }, extra: Record<string, unknown> = {}) => ({
  workDir: d.workDir,
  cacheDir: d.cacheDir,
  env: { ...process.env },
  resolveSecret: async () => "unused",
  resolveVariable: async () => "unused",
  ...extra,
});

describe("git option injection", () => {
  test('directories: ["--stdin"] is a folder for git, not an option that waits on stdin', async () => {
    const d = dirs();
    const r = await gitClone({ repository: source, directories: ["--stdin"], ...d });
    expect(readFileSync(join(r.directory, "--stdin/marker.txt"), "utf8")).toContain("option's name");
    expect(existsSync(join(r.directory, "docs/readme.md"))).toBe(false);
    d.remove();
  });

  test("variant: a step naming a folder or branch that starts with - is refused before git runs, naming the field", async () => {
    const d = dirs();
    const folder = await runPullSteps([{ git_clone: { repository: source, directories: ["--stdin"] } }], context(d)).catch((e) => e);
    expect(folder).toBeInstanceOf(PullStepFailed);
    expect(folder.message).toMatch(/would be read as an option/);
    const branch = await runPullSteps([{ git_clone: { repository: source, branch: "--orphan=x" } }], context(d)).catch((e) => e);
    expect(branch).toBeInstanceOf(PullStepFailed);
    expect(existsSync(d.cacheDir)).toBe(false);
    d.remove();
  });
});

describe("time limits", () => {
  test("a clone from a server that never answers fails at the step's limit, naming the step", async () => {
    const d = dirs();
    server.hold();
    try {
      const error = await runPullSteps([{ git_clone: { repository: server.url("project") } }], context(d, { stepTimeoutSeconds: 1 })).catch((e) => e);
      expect(error).toBeInstanceOf(PullStepTimedOut);
      expect(error.message).toMatch(/pull\[0\]\.git_clone did not finish within 1 s.*pull_step_timeout_seconds/);
    } finally {
      server.resume();
    }
    d.remove();
  });

  test("variant: a script that waits, with the limit from BATON_PULL_STEP_TIMEOUT_SECONDS, and the step after it never runs", async () => {
    const d = dirs();
    const steps = [{ set_working_directory: { directory: work.path } }, { run_shell_script: { script: "sleep 120", stream_output: false } }, { run_shell_script: { script: "touch ran-after", stream_output: false } }];
    const error = await runPullSteps(steps, { ...context(d), env: { ...process.env, BATON_PULL_STEP_TIMEOUT_SECONDS: "1" } }).catch((e) => e);
    expect(error).toBeInstanceOf(PullStepTimedOut);
    expect(error.message).toContain("pull[1].run_shell_script");
    expect(existsSync(join(work.path, "ran-after"))).toBe(false);
    d.remove();
  });

  test("a script's stdin is empty: read gets end of file at once", async () => {
    const d = dirs();
    const result = await runPullSteps([{ set_working_directory: { directory: work.path } }, { run_shell_script: { id: "r", script: 'read line; echo "read:$?:$line"', stream_output: false } }], context(d));
    expect(result.outputs.r!.stdout).toBe("read:1:");
    d.remove();
  });
});

test("the git cache (and a BATON_HOME it creates) is 0700: mirrors of private repositories are this user's only", async () => {
  const d = tempDir("baton-home-");
  const home = join(d.path, "home");
  await gitClone({ repository: source, workDir: join(d.path, "work"), cacheDir: join(home, "git-cache") });
  expect(statSync(home).mode & 0o777).toBe(0o700);
  expect(statSync(join(home, "git-cache")).mode & 0o777).toBe(0o700);
  d.remove();
});

describe("the git mirror lock", () => {
  test("a clone SIGKILLed while it holds the lock does not block the next clone of the repository", async () => {
    const d = dirs();
    server.hold();
    const seen = server.requests.length;
    const sdk = fileURLToPath(new URL("../../dist/pull-steps/index.js", import.meta.url));
    const script = `import { gitClone } from ${JSON.stringify(sdk)};\nawait gitClone({ repository: ${JSON.stringify(server.url("project"))}, workDir: ${JSON.stringify(d.workDir)}, cacheDir: ${JSON.stringify(d.cacheDir)} });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    try {
      // The child holds the lock once its clone has reached the (held) server.
      while (!server.requests.slice(seen).some((r) => r.path.startsWith("/project.git/info/refs"))) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(d.cacheDir).filter((f) => f.endsWith(".lock"))).toHaveLength(1);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    } finally {
      server.resume();
    }
    const r = await gitClone({ repository: server.url("project"), ...d });
    expect(readFileSync(join(r.directory, "flows/etl.ts"), "utf8")).toContain("export");
    d.remove();
  });
});
