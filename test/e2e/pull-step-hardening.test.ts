import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { git, makeRepo } from "../helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../helpers/http-git-server.js";
import { tempDir } from "../helpers/tmp.js";
import { startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const TOKEN = "glpat-e2e-main-host-token-42";
const FLOW = `import { flow } from "baton";\nexport const hello = flow({ name: "hello-sub" }, async () => "hi");\n`;

/**
 * Pull steps as an attacker with a deployer key would write them, run by a real process worker:
 * a submodule on another host must not get the repository's token, an option as a sparse folder
 * never reaches git, and a step that hangs fails the run at the pool's time limit.
 */
describe.each(DATABASE_KINDS)("pull steps through the API and a real worker (%s)", (kind) => {
  let t: TestServer;
  let worker: WorkerProcess;
  let main: HttpGitServer;
  let elsewhere: HttpGitServer;
  const repos = tempDir("baton-pull-e2e-");
  const upsert = (name: string, body: Record<string, unknown>) =>
    t.client.call("upsertDeployment", { body: { flow_name: "hello-sub", name, entrypoint: "flows/hello.ts:hello", work_pool_name: "hardening", enforce_parameter_schema: false, ...body } as never });

  beforeAll(async () => {
    [main, elsewhere] = await Promise.all([startHttpGitServer({ token: TOKEN }), startHttpGitServer({ token: "elsewhere-own-token" })]);
    const lib = join(repos.path, "lib");
    const libCommit = makeRepo(lib, { "lib.ts": "export {};\n" });
    elsewhere.addRepo("lib", lib);
    const project = join(repos.path, "project");
    makeRepo(project, { "flows/hello.ts": FLOW });
    writeFileSync(join(project, ".gitmodules"), `[submodule "lib"]\n\tpath = lib\n\turl = ${elsewhere.url("lib")}\n`);
    git(project, "update-index", "--add", "--cacheinfo", `160000,${libCommit},lib`);
    git(project, "add", ".gitmodules");
    git(project, "commit", "-q", "-m", "lib as a submodule on another host");
    main.addRepo("project", project);
    t = await startTestServer(kind);
    worker = startWorkerProcess(t, { pool: "hardening", type: "process", pollWaitSeconds: 5 });
    await worker.waitForEvent("started");
    await t.client.call("setSecret", { params: { name: "repo-token" }, body: { value: TOKEN, work_pools: ["*"] } });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await Promise.all([main?.stop(), elsewhere?.stop()]);
    repos.remove();
  });

  test("a submodule on another host gets no token: the run fails on it, and that host never saw the token", async () => {
    const { deployment } = await upsert("submodule", {
      pull_steps: [{ git_clone: { repository: main.url("project"), branch: "main", include_submodules: true, access_token: "{{ baton.secrets.repo-token }}" } }],
    });
    const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type, done.state.message ?? "").toBe("FAILED");
    expect(done.state.message).toContain("GitTokenRefused");
    expect(main.usernames).toContain("oauth2");
    expect(elsewhere.requests.length).toBeGreaterThan(0);
    const sent = elsewhere.requests.map((r) => (r.authorization ? Buffer.from(r.authorization.replace(/^Basic /, ""), "base64").toString() : "")).join("\n");
    expect(sent).not.toContain(TOKEN);
  });

  test('directories: ["--stdin"] is refused by the API, naming the field; nothing is stored', async () => {
    const answer = await t.client
      .call("upsertDeployment", {
        body: { flow_name: "hello-sub", name: "stdin", entrypoint: "flows/hello.ts:hello", work_pool_name: "hardening", pull_steps: [{ git_clone: { repository: main.url("project"), directories: ["--stdin"] } }] } as never,
      })
      .catch((e) => e);
    expect(answer.status).toBe(422);
    expect(answer.message).toContain("body.pull_steps.0.git_clone.directories.0");
    const list = await t.client.call("listDeployments", { query: { flow_name: "hello-sub" } as never });
    expect(list.items.map((d: { name: string }) => d.name)).not.toContain("stdin");
  });

  test("a step that hangs fails the run at pull_step_timeout_seconds, naming the step, and the flow never starts", async () => {
    const { deployment } = await upsert("hangs", {
      pull_steps: [{ set_working_directory: { directory: repos.path } }, { run_shell_script: { script: "sleep 600", stream_output: false } }],
      job_variables: { pull_step_timeout_seconds: 2 },
    });
    const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
    expect(done.state_type, done.state.message ?? "").toBe("FAILED");
    expect(done.state.message).toContain("PullStepTimedOut: pull[1].run_shell_script did not finish within 2 s");
  });
});
