import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Deployment, FlowRun } from "@baton/core";
import { cleanEnv, startBaton, waitFor } from "../helpers/cli.js";
import { ciTools, type CiTools } from "../helpers/ci-tools.js";
import { git, makeRepo } from "../helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../helpers/http-git-server.js";
import { tempDir } from "../helpers/tmp.js";
import { killProcess, startCliServer, type CliServer } from "./deploy-server.js";

const SLOW = 300_000;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = join(ROOT, "examples", "etl");
const JOB_TOKEN = "glcbt-64_JobT0kenThatMustNotLeak";
const UUID = /^[0-9a-f-]{36}$/m;

/** The git host runs in this process: its clients must not block the event loop it answers on. */
const exec = promisify(execFile);
async function runCommand(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<{ status: number; output: string }> {
  try {
    const { stdout, stderr } = await exec(file, args, { encoding: "utf8", maxBuffer: 16 << 20, ...options });
    return { status: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { status: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}${e.stdout || e.stderr ? "" : e.message}` };
  }
}
const gitAsync = async (cwd: string, ...args: string[]) => {
  const result = await runCommand("git", args, { cwd });
  expect(result.status, result.output).toBe(0);
};

/**
 * The example project's own CI files, run the way GitLab and GitHub run them: a checkout whose
 * origin URL carries a job token (GitLab) or whose token sits in an http.extraheader (GitHub),
 * with a detached HEAD, deploying with a deployer key to a live server; then a worker runs the
 * deployment from the git host, which serves the project to anyone (an internal project).
 */
describe("the example's CI pipelines deploy from real CI checkouts", () => {
  let server: CliServer;
  let gitHost: HttpGitServer;
  let tools: CiTools;
  let deployerKey: string;
  let worker: (ChildProcess & { output(): string }) | undefined;
  const dirs: Array<{ remove(): void }> = [];
  const PATH = `${join(ROOT, "node_modules", ".bin")}:${dirname(process.execPath)}:${process.env.PATH}`;

  beforeAll(async () => {
    tools = ciTools();
    server = await startCliServer("sqlite");
    expect((await server.baton(["work-pool", "create", "default", "--type", "process"])).code).toBe(0);
    deployerKey = (await server.json<{ key: string }>(["api-key", "create", "--name", "gitlab-ci", "--role", "deployer"])).key;
    gitHost = await startHttpGitServer({ token: JOB_TOKEN, publicRead: true });
    const project = tempDir("baton-ci-project-");
    dirs.push(project);
    const files: Record<string, string> = {};
    for (const file of ["baton.yaml", "flows/etl.ts", ".gitlab-ci.yml", ".github/workflows/deploy.yml"]) files[file] = readFileSync(join(EXAMPLE, file), "utf8");
    makeRepo(project.path, files);
    git(project.path, "branch", "feature/faster");
    gitHost.addRepo("group/etl", project.path);
    worker = startBaton(["worker", "start", "--pool", "default", "--name", "ci-journey-worker"], { env: server.env });
  }, SLOW);

  afterAll(async () => {
    await killProcess(worker);
    await gitHost?.stop();
    await server?.stop();
    for (const d of dirs) d.remove();
  }, SLOW);

  /** Runs the deployment through the worker and waits for its end. */
  async function runToCompletion(): Promise<FlowRun> {
    const started = await server.baton(["deployment", "run", "etl-flow/etl-local"]);
    expect(started.code, started.stderr).toBe(0);
    const id = UUID.exec(started.stdout)![0];
    return waitFor(
      async () => {
        const run = (await server.json<{ flow_run: FlowRun }>(["flow-run", "inspect", id])).flow_run;
        return ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"].includes(run.state_type) ? run : undefined;
      },
      "the deployed run to end",
      180_000,
    );
  }

  it("GitLab: gitlab-ci-local runs .gitlab-ci.yml on a runner-shaped checkout; the job token is never stored and a worker runs what it deployed", async () => {
    const checkout = tempDir("baton-gitlab-checkout-");
    dirs.push(checkout);
    const url = new URL(gitHost.url("group/etl"));
    url.username = "gitlab-ci-token";
    url.password = JOB_TOKEN;
    await gitAsync(ROOT, "clone", "-q", url.toString(), checkout.path);
    git(checkout.path, "checkout", "-q", "--detach");
    const home = join(checkout.path, "..", "job-home");
    mkdirSync(home, { recursive: true });

    const job = await runCommand(
      tools.node24,
      [
        tools.gitlabCiLocal,
        "--force-shell-executor",
        "--variable", "CI_COMMIT_BRANCH=main",
        "--variable", `BATON_API_URL=${server.apiUrl}`,
        "--variable", `BATON_API_KEY=${deployerKey}`,
        "--variable", `BATON_HOME=${home}`,
        "deploy-flows",
      ],
      { cwd: checkout.path, env: cleanEnv({ PATH }), timeout: 240_000 },
    );
    const output = job.output;
    expect(output, output).toMatch(/PASS\s+deploy-flows/);
    expect(output).toMatch(/Deployment 'etl-flow\/etl-local' (created|updated|unchanged)/);
    expect(output.match(/has a credential in it/g)).toHaveLength(1);
    expect(output).not.toContain(JOB_TOKEN);

    const deployment = await server.json<Deployment>(["deployment", "inspect", "etl-flow/etl-local"]);
    expect(JSON.stringify(deployment)).not.toContain(JOB_TOKEN);
    expect(deployment.pull_steps[0]).toEqual({ git_clone: { repository: gitHost.url("group/etl"), branch: "main", include_submodules: false } });
    expect(deployment.source).toMatchObject({ repository: gitHost.url("group/etl"), branch: "main" });

    const run = await runToCompletion();
    expect(run.state_type, JSON.stringify(run.state)).toBe("COMPLETED");
  }, SLOW);

  it("GitHub: the workflow's steps on actions/checkout's pull-request checkout deploy the source branch, and the extraheader token stays behind", async () => {
    const checkout = tempDir("baton-github-checkout-");
    dirs.push(checkout);
    // actions/checkout: a clean URL, the token in an extraheader, the PR's commit detached.
    await gitAsync(ROOT, "init", "-q", checkout.path);
    git(checkout.path, "remote", "add", "origin", gitHost.url("group/etl"));
    const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${JOB_TOKEN}`).toString("base64")}`;
    git(checkout.path, "config", "--local", `http.${new URL(gitHost.url("group/etl")).origin}/.extraheader`, header);
    await gitAsync(checkout.path, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*");
    git(checkout.path, "checkout", "-q", "--detach", "origin/feature/faster");
    const home = join(checkout.path, "..", "runner-home");
    mkdirSync(home, { recursive: true });

    const workflow = parseYaml(readFileSync(join(checkout.path, ".github", "workflows", "deploy.yml"), "utf8")) as { jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }> };
    const steps = Object.values(workflow.jobs)[0]!.steps.filter((step) => step.run);
    expect(steps.length).toBeGreaterThan(0);
    const env = cleanEnv({
      PATH,
      HOME: home,
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: checkout.path,
      GITHUB_HEAD_REF: "feature/faster",
      GITHUB_REF_NAME: "7/merge",
      BATON_API_URL: server.apiUrl,
      BATON_API_KEY: deployerKey,
      BATON_HOME: join(home, ".baton"),
    });
    let output = "";
    for (const step of steps) {
      const result = await runCommand("bash", ["-e", "-c", step.run!], { cwd: checkout.path, env, timeout: 120_000 });
      output += result.output;
      expect(result.status, `${step.run}: ${result.output}`).toBe(0);
    }
    expect(output).not.toContain(JOB_TOKEN);

    const deployment = await server.json<Deployment>(["deployment", "inspect", "etl-flow/etl-local"]);
    expect(JSON.stringify(deployment)).not.toMatch(new RegExp(`${JOB_TOKEN}|AUTHORIZATION|extraheader`));
    expect(deployment.pull_steps[0]).toEqual({ git_clone: { repository: gitHost.url("group/etl"), branch: "feature/faster", include_submodules: false } });

    const run = await runToCompletion();
    expect(run.state_type, JSON.stringify(run.state)).toBe("COMPLETED");
  }, SLOW);
});
