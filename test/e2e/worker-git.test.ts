import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { flow, secret } from "baton";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { commitFiles, makeRepo } from "../helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../helpers/http-git-server.js";
import { startSshGitServer, type SshGitServer } from "../helpers/ssh-git-server.js";
import { tempDir } from "../helpers/tmp.js";
import { runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

// The flow, as it lives in the repository: it fetches the deploy key itself and logs it, the worst a flow could do.
const FLOW_SOURCE = `import { flow, getClient, getRunLogger } from "baton";

export const hello = flow({ name: "hello-git" }, async (p: { who?: string }) => {
  const log = getRunLogger();
  log.info(\`hello \${p.who ?? "world"} from the clone\`);
  const client = await getClient();
  const { value } = await client.call("readSecretValue", { params: { name: "deploy-key" } });
  log.info(\`the deploy key is \${value}\`);
  console.log(\`printed: \${value}\`);
  throw new Error(\`failing on purpose with \${value.split("\\n")[1]}\`);
});
`;

// The same flow as the deploying program sees it: fromSource() reads its name and parameters from it.
const hello = flow({ name: "hello-git" }, async () => "unused here");

/** Every line of the key that is long enough to be recognised (what would leak it). */
const keyLines = (key: string) => key.split("\n").map((l) => l.trim()).filter((l) => l.length >= 16);

describe.each(DATABASE_KINDS)("a deployment cloned over SSH with a deploy key (%s)", (kind) => {
  let t: TestServer;
  let ssh: SshGitServer;
  let worker: WorkerProcess;
  const repoDir = tempDir("baton-git-origin-");
  beforeAll(async () => {
    ssh = await startSshGitServer();
    makeRepo(join(repoDir.path, "hello"), { "flows/hello.ts": FLOW_SOURCE });
    ssh.addRepo("hello", join(repoDir.path, "hello"));
    t = await startTestServer(kind);
    worker = startWorkerProcess(t, { pool: "git-pool", type: "process", pollWaitSeconds: 5 });
    await worker.waitForEvent("started");
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await ssh?.stop();
    repoDir.remove();
  });

  test("fromSource().deploy() stores the clone step with a reference to the secret, never its value; the run clones, runs and masks the key everywhere", async () => {
    await t.client.call("setSecret", { params: { name: "deploy-key" }, body: { value: ssh.deployKey, work_pools: ["*"] } });
    const { deployment, outcome } = await hello
      .fromSource({ source: ssh.url("hello"), entrypoint: "flows/hello.ts:hello", ref: "main", sshKey: secret("deploy-key"), knownHosts: ssh.knownHosts })
      .deploy({ name: "from-git", workPool: "git-pool", parameters: { who: "ops" }, tags: ["git"], client: t.client });
    expect(outcome).toBe("created");
    expect(deployment).toMatchObject({
      flow_name: "hello-git",
      entrypoint: "flows/hello.ts:hello",
      work_pool_name: "git-pool",
      pull_steps: [{ git_clone: { repository: ssh.url("hello"), branch: "main", ssh_key: "{{ baton.secrets.deploy-key }}", known_hosts: ssh.knownHosts } }],
    });
    const stored = JSON.stringify(deployment);
    for (const line of keyLines(ssh.deployKey)) expect(stored).not.toContain(line);

    const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
    // The flow fails on purpose, quoting a line of the key in its error.
    expect(done.state_type, done.state.message ?? "").toBe("FAILED");
    expect(done.state.message).toContain("failing on purpose with ****");
    // Every line, the last one (sent right after the final state) included.
    const logs = await waitFor(async () => {
      const lines = await runLogs(t.client, created.id);
      return lines.some((l) => l.startsWith("Finished in state Failed")) ? lines : undefined;
    }, "the run's last log line");
    expect(logs).toContain("hello ops from the clone");
    expect(logs).toContain("the deploy key is ****");
    const everything = [JSON.stringify(done), ...logs, worker.output()].join("\n");
    for (const line of keyLines(ssh.deployKey)) expect(everything).not.toContain(line);
    expect(worker.output()).toContain("printed: ****");
  });

  test("a key the server refuses fails the run before the flow starts, saying so, without the key", async () => {
    await t.client.call("setSecret", { params: { name: "wrong-key" }, body: { value: ssh.otherKey, work_pools: ["*"] } });
    const { deployment } = await hello
      .fromSource({ source: ssh.url("hello"), entrypoint: "flows/hello.ts:hello", sshKey: secret("wrong-key"), knownHosts: ssh.knownHosts })
      .deploy({ name: "wrong-key", workPool: "git-pool", client: t.client });
    const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type).toBe("FAILED");
    expect(done.state.message).toMatch(/Flow run could not start: .*key/i);
    const everything = [JSON.stringify(done), ...(await runLogs(t.client, created.id))].join("\n");
    for (const line of keyLines(ssh.otherKey)) expect(everything).not.toContain(line);
  });
});

const PLAIN_SOURCE = `import { flow, getRunLogger } from "baton";

export const plain = flow({ name: "plain-git" }, async () => {
  getRunLogger().info("plain from https");
  return 7;
});
`;
const plain = flow({ name: "plain-git" }, async () => 0);

describe.each(DATABASE_KINDS)("a deployment cloned over HTTPS with a token (%s)", (kind) => {
  let t: TestServer;
  let git: HttpGitServer;
  let worker: WorkerProcess;
  const repoDir = tempDir("baton-https-origin-");
  const token = "glpat-0123456789abcdefXYZ";
  beforeAll(async () => {
    git = await startHttpGitServer({ token, tls: true });
    makeRepo(join(repoDir.path, "plain"), { "flows/plain.ts": PLAIN_SOURCE });
    git.addRepo("plain", join(repoDir.path, "plain"));
    t = await startTestServer(kind);
    // The machine's trust store, as an image would have it: the worker's environment reaches the run.
    worker = startWorkerProcess(t, { pool: "https-pool", type: "process", pollWaitSeconds: 5 }, { GIT_SSL_CAINFO: git.caFile! });
    await worker.waitForEvent("started");
    await t.client.call("setSecret", { params: { name: "git-token" }, body: { value: token, work_pools: ["*"] } });
    await t.client.call("setSecret", { params: { name: "stale-token" }, body: { value: "glpat-revoked-long-ago-000", work_pools: ["*"] } });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await git?.stop();
    repoDir.remove();
  });

  test("the run clones with the token from the secret store and completes; a refused token fails it before it starts", async () => {
    const deploy = (name: string, secretName: string) =>
      plain.fromSource({ source: git.url("plain"), entrypoint: "flows/plain.ts:plain", ref: "main", accessToken: secret(secretName) }).deploy({ name, workPool: "https-pool", client: t.client });
    const { deployment } = await deploy("https", "git-token");
    expect(JSON.stringify(deployment)).not.toContain(token);
    const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
    expect(git.usernames.length).toBeGreaterThan(0);
    const logs = await runLogs(t.client, created.id);
    expect(logs).toContain("plain from https");
    expect([...logs, worker.output()].join("\n")).not.toContain(token);

    const { deployment: stale } = await deploy("stale", "stale-token");
    const refused = await waitForState(t.client, (await t.client.call("runDeployment", { params: { id: stale.id }, body: {} })).id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(refused.state_type).toBe("FAILED");
    expect(refused.state.message).toMatch(/token/i);
    expect(refused.state.message).not.toContain("glpat-revoked-long-ago-000");
  });

  test("each run records the commit it pulled, which flow-run inspect shows: a push after the deploy is what the next run ran", async () => {
    const work = join(repoDir.path, "moving");
    const first = makeRepo(work, { "flows/plain.ts": PLAIN_SOURCE });
    git.addRepo("moving", work);
    const { deployment } = await plain.fromSource({ source: git.url("moving"), entrypoint: "flows/plain.ts:plain", ref: "main", accessToken: secret("git-token") }).deploy({ name: "moving", workPool: "https-pool", client: t.client });
    const pulledBy = async () => {
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const running = (await t.client.flowRunStates(created.id)).items.filter((s) => s.type === "RUNNING");
      return { id: created.id, source: running.at(-1)?.data?.source };
    };
    const before = await pulledBy();
    expect(before.source).toEqual({ repository: git.url("moving"), branch: "main", commit: first });

    const second = commitFiles(work, { "flows/plain.ts": PLAIN_SOURCE.replace("plain from https", "plain, pushed later") }, "a later push");
    git.pushRepo("moving", work);
    const after = await pulledBy();
    expect(after.source?.commit).toBe(second);
    const inspect = await runBaton(["flow-run", "inspect", after.id], { env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey } });
    expect(inspect.stdout, inspect.stderr).toMatch(new RegExp(`Commit:\\s+${second}, branch main, ${git.url("moving").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(pulled by this run\\)`));
    expect(inspect.stdout).not.toContain(token);
  });
});
