import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { git } from "../helpers/git-repo.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { startCliServer, type CliServer } from "./deploy-server.js";
import { makeProject } from "./deploy-project.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

const SLOW = 300_000;
const VALUE = `glpat-${randomBytes(12).toString("hex")}`;

/**
 * Secret scopes from the command line (issue 11 item 7): an admin scopes a deploy key to a pool,
 * `baton deploy` of a deployment in another pool is refused before anything is written, naming the
 * secret and its scope; widening the scope lets it through.
 */
describe.each(DATABASE_KINDS)("baton secret set --pool and baton deploy (%s)", (kind) => {
  let server: CliServer;
  const dir = tempDir("baton-scope-project-");
  beforeAll(async () => {
    server = await startCliServer(kind);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    dir.remove();
  }, SLOW);

  test("a reference outside the scope is refused by deploy, naming the secret and the scope; --keep-value --pool widens it", async () => {
    for (const pool of ["pool-a", "pool-b"]) expect((await server.baton(["work-pool", "create", pool, "--type", "process"])).code).toBe(0);
    const set = await server.baton(["secret", "set", "deploy-key", "--pool", "pool-a"], { input: `${VALUE}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("usable by work pools [pool-a] and deployments [*]");
    const unscoped = await server.baton(["secret", "set", "nobodys"], { input: "value-of-nobody\n" });
    expect(unscoped.stderr).toContain("No deployment may use it yet");
    const listed = await server.json<Array<{ name: string; work_pools: string[]; deployments: string[] }>>(["secret", "ls"]);
    expect(listed).toEqual([
      expect.objectContaining({ name: "deploy-key", work_pools: ["pool-a"], deployments: ["*"] }),
      expect.objectContaining({ name: "nobodys", work_pools: [], deployments: [] }),
    ]);

    const yaml = `name: scoped
pull:
  - git_clone:
      repository: https://git.example.com/org/repo.git
      access_token: "{{ baton.secrets.deploy-key }}"
deployments:
  - name: other-pool
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: pool-b }
`;
    const project = makeProject(dir.path, { "baton.yaml": yaml });
    git(project.work, "push", "-q", "origin", "main");
    const refused = await server.baton(["deploy", "--all"], { cwd: project.work });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('secret "deploy-key" may be used by work pools [pool-a] and deployments [*], not by deployment etl-flow/other-pool in work pool pool-b');
    expect(refused.stderr).toContain("baton secret set deploy-key --keep-value --pool pool-b");
    expect(await server.json<unknown[]>(["deployment", "ls"])).toEqual([]);

    const widened = await server.baton(["secret", "set", "deploy-key", "--keep-value", "--pool", "pool-a", "--pool", "pool-b"]);
    expect(widened.code, widened.stderr).toBe(0);
    const deployed = await server.baton(["deploy", "--all"], { cwd: project.work });
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    for (const r of [set, refused, widened, deployed]) expect(r.stdout + r.stderr).not.toContain(VALUE);
  }, SLOW);
});

/**
 * A run that reads a secret in its scope and logs it base64-, hex-, URL-encoded and reversed
 * (flows/auth-probes.ts leaksEncoded) with a real process worker: only **** reaches the logs.
 */
describe.each(DATABASE_KINDS)("masking of encoded secret values (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await t.client.call("setSecret", { params: { name: "api-token" }, body: { value: VALUE, work_pools: ["encoded"] } });
  }, 60_000);
  afterAll(async () => t?.close());

  test("base64, base64url, hex, URL-encoded and reversed forms are masked in the run's logs and output", async () => {
    await t.client.call("createWorkPool", { body: { name: "encoded", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "encoded", type: "process", pollWaitSeconds: 2 });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: {
          flow_name: "leaks-encoded",
          name: "encoded",
          entrypoint: "flows/auth-probes.ts:leaksEncoded",
          pull_steps: [],
          work_pool_name: "encoded",
          // The run reads the secret because its configuration names it (in scope: pool "encoded").
          job_variables: { working_dir: WORKER_FIXTURE, env: { API_TOKEN: "{{ baton.secrets.api-token }}" } },
        },
      });
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const logs = (await runLogs(t.client, run.id)).join("\n");
      const forms = [
        VALUE,
        Buffer.from(VALUE).toString("base64").slice(0, 24),
        Buffer.from(VALUE).toString("base64url").slice(0, 24),
        Buffer.from(VALUE).toString("hex"),
        encodeURIComponent(VALUE),
        [...VALUE].reverse().join(""),
        Buffer.from(`token=${VALUE}\n`).toString("base64").slice(8, 32),
      ];
      for (const label of ["base64", "base64 of a line", "base64url", "hex", "url", "reversed"]) expect(logs).toMatch(new RegExp(`${label}: \\S*\\*\\*\\*\\*`));
      for (const form of forms) expect(logs).not.toContain(form);
      expect(worker.output()).toContain("printed base64: ****");
      for (const form of forms) expect(worker.output()).not.toContain(form);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
