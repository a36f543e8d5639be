import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, FlowRun } from "@baton/core";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { commitFiles, git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/tmp.js";
import { ETL_FLOW, makeProject } from "./deploy-project.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

const BAD = `deployments:
  - name: typo
    entrypoint: flows/etl.ts:etlFlow
    schedule: { cron: "0 * * * *" }
    work_pool: { name: default }
  - name: no-file
    entrypoint: flows/missing.ts:etlFlow
    work_pool: { name: default }
  - name: no-export
    entrypoint: flows/etl.ts:etlFlw
    work_pool: { name: default }
  - name: bad-values
    entrypoint: flows/etl.ts:etlFlow
    parameters: { limit: many }
    schedules:
      - cron: "0 * * * *"
        parameters: { uppercase: "yes" }
      - cron: "61 * * * *"
      - interval: 60
        timezone: Mars/Olympus
    work_pool:
      name: default
      job_variables: { image: "node:20" }
  - name: no-pool
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: nowhere }
  - name: token-in-url
    entrypoint: flows/etl.ts:etlFlow
    pull:
      - git_clone: { repository: "https://deployer:hunter2@git.example.com/org/repo.git" }
    work_pool: { name: default }
  - name: missing-secret
    entrypoint: flows/etl.ts:etlFlow
    pull:
      - git_clone:
          repository: https://git.example.com/org/repo.git
          access_token: "{{ baton.secrets.missing-token }}"
    work_pool: { name: default }
`;

/** Anchors, aliases and a merge key: what the tool users come from allows. */
const goodYaml = (cron: string) => `definitions:
  pool: &pool
    name: default
  common: &common
    entrypoint: flows/etl.ts:etlFlow
    tags: [nightly]
deployments:
  - <<: *common
    name: nightly
    parameters: { limit: 2 }
    schedules:
      - cron: "${cron}"
        timezone: Europe/Paris
    work_pool: *pool
`;

function parisTime(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

describe.each(DATABASE_KINDS)("baton deploy against a server on %s", (kind) => {
  let server: CliServer;
  let dir: { path: string; remove(): void };
  let project: ReturnType<typeof makeProject>;

  beforeAll(async () => {
    server = await startCliServer(kind);
    dir = tempDir("baton-project-");
    project = makeProject(dir.path);
    const pool = await server.baton(["work-pool", "create", "default", "--type", "process"]);
    expect(pool.code, pool.stderr).toBe(0);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  }, SLOW);

  /**
   * etl-flow/nightly deployed from a clean, pushed checkout whose baton.yaml has `cron`: what a
   * test of later deploys starts from, made here rather than left by the test before.
   */
  const deployNightly = async (cron: string) => {
    writeFileSync(join(project.work, "baton.yaml"), goodYaml(cron));
    git(project.work, "add", "-A");
    if (git(project.work, "status", "--porcelain").trim() !== "") git(project.work, "commit", "-q", "-m", `nightly at ${cron}`);
    git(project.work, "push", "-q", "origin", "main");
    const r = await server.baton(["deploy"], { cwd: project.work });
    expect(r.code, r.stderr).toBe(0);
  };

  it("lists every problem of baton.yaml at once, with its YAML path, and writes nothing", async () => {
    writeFileSync(join(project.work, "bad.yaml"), BAD);
    const r = await server.baton(["deploy", "--all", "--file", "bad.yaml"], { cwd: project.work });
    expect(r.code, r.stderr).toBe(1);
    const err = r.stderr;
    expect(err).toMatch(/bad\.yaml has \d+ problems; nothing was deployed/);
    expect(err).toMatch(/deployments\[0\]: unknown key "schedule"/);
    expect(err).toMatch(/deployments\[1\]\.entrypoint: EntrypointFileNotFound: no file at .*flows\/missing\.ts/);
    expect(err).toMatch(/deployments\[2\]\.entrypoint: FlowExportNotFound: .*"etlFlw".*etlFlow/);
    expect(err).toMatch(/deployments\[3\]\.parameters\.limit: /);
    expect(err).toMatch(/deployments\[3\]\.schedules\[0\]\.parameters\.uppercase: /);
    expect(err).toMatch(/deployments\[3\]\.schedules\[1\]\.cron: "61 \* \* \* \*" is not a valid cron expression/);
    expect(err).toMatch(/deployments\[3\]\.schedules\[2\]\.timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(err).toMatch(/deployments\[3\]\.work_pool\.job_variables\.image: "image" is not a variable of this work pool's job template; declared variables: .*command/);
    expect(err).toMatch(/deployments\[4\]\.work_pool\.name: work pool "nowhere" does not exist; create it with baton work-pool create nowhere --type process/);
    expect(err).toMatch(/deployments\[5\]\.pull\[0\]\.git_clone\.repository: the URL has a credential inside it/);
    expect(err).toMatch(/deployments\[6\]\.pull\[0\]\.git_clone\.access_token: secret "missing-token" does not exist on the server; set it with baton secret set missing-token/);
    expect(err).not.toContain("hunter2");
    expect(await server.json<Deployment[]>(["deployment", "ls"])).toEqual([]);
  }, SLOW);

  it("answers a Prefect habit or a typo with what Baton expects: the key meant, Baton's step name, the secret meant, the flow's parameters", async () => {
    const secret = await server.baton(["secret", "set", "deploy-token"], { input: "s3cr3t-value\n" });
    expect(secret.code, secret.stderr).toBe(0);
    writeFileSync(
      join(project.work, "prefect-ish.yaml"),
      `deployments:
  - name: typo
    entrypiont: flows/etl.ts:etlFlow
    work_pool: { name: default }
  - name: prefect-step
    entrypoint: flows/etl.ts:etlFlow
    pull:
      - prefect.deployments.steps.git_clone:
          repository: https://git.example.com/org/repo.git
    work_pool: { name: default }
  - name: secret-typo
    entrypoint: flows/etl.ts:etlFlow
    pull:
      - git_clone:
          repository: https://git.example.com/org/repo.git
          access_token: "{{ baton.secrets.deploy-tokne }}"
    work_pool: { name: default }
  - name: param-typo
    entrypoint: flows/etl.ts:etlFlow
    parameters: { limt: 2 }
    work_pool: { name: default }
`,
    );
    const r = await server.baton(["deploy", "--all", "--file", "prefect-ish.yaml"], { cwd: project.work });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/deployments\[0\]: unknown key "entrypiont"; did you mean "entrypoint"\?/);
    expect(r.stderr).not.toMatch(/deployments\[0\]\.entrypoint/);
    expect(r.stderr).toMatch(/deployments\[1\]\.pull\[0\]: "prefect\.deployments\.steps\.git_clone" is Prefect's name for this step; in baton\.yaml write git_clone/);
    expect(r.stderr).not.toMatch(/Invalid input/);
    expect(r.stderr).toMatch(/deployments\[2\]\.pull\[0\]\.git_clone\.access_token: secret "deploy-tokne" does not exist on the server; did you mean "deploy-token"\?/);
    expect(r.stderr).not.toMatch(/baton secret set deploy-tokne/);
    expect(r.stderr).toMatch(/deployments\[3\]\.parameters\.limt: "limt" is not a parameter here; the parameters are limit, uppercase/);
    expect(await server.json<Deployment[]>(["deployment", "ls"])).toEqual([]);
  }, SLOW);

  it("refuses a run parameter the flow does not declare, from the command line and the API, naming the flow's parameters", async () => {
    writeFileSync(join(project.work, "plain.yaml"), "deployments:\n  - name: plain\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: default }\n");
    commitFiles(project.work, {}, "plain.yaml");
    git(project.work, "push", "-q", "origin", "main");
    const deployed = await server.baton(["deploy", "--all", "--file", "plain.yaml"], { cwd: project.work });
    expect(deployed.code, deployed.stderr).toBe(0);
    try {
      const run = await server.baton(["deployment", "run", "etl-flow/plain", "--param", "extr=1"]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/parameters\.extr: "extr" is not a parameter of this flow; the parameters are limit, uppercase/);
      expect(await server.json<FlowRun[]>(["flow-run", "ls"])).toEqual([]);
      const local = await server.baton(["run", "flows/etl.ts:etlFlow", "--param", "extr=1"], { cwd: project.work });
      expect(local.code).not.toBe(0);
      expect(local.stderr).toMatch(/"extr" is not a parameter here; the parameters are limit, uppercase/);
      expect(await server.json<FlowRun[]>(["flow-run", "ls"])).toEqual([]);
    } finally {
      const stored = await server.json<Deployment[]>(["deployment", "ls"]);
      for (const d of stored) await server.baton(["deployment", "delete", `${d.flow_name}/${d.name}`, "--yes"]);
    }
  }, SLOW);

  it("names the line of a YAML syntax error, and refuses an unknown --name or a choice it cannot make", async () => {
    writeFileSync(join(project.work, "broken.yaml"), "deployments:\n  - name: x\n    entrypoint: [flows/etl.ts\n");
    const broken = await server.baton(["deploy", "--file", "broken.yaml"], { cwd: project.work });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.yaml line \d+, column \d+/);

    writeFileSync(join(project.work, "two.yaml"), goodYaml("0 3 * * *") + "  - name: other\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: *pool\n");
    const unnamed = await server.baton(["deploy", "--file", "two.yaml"], { cwd: project.work });
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toMatch(/2 deployments \(nightly, other\); choose with --name NAME .* or deploy them all with --all/);
    const unknown = await server.baton(["deploy", "--file", "two.yaml", "--name", "weekly"], { cwd: project.work });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no deployment named "weekly"; its deployments: nightly, other/);
    const missing = await server.baton(["deploy"], { cwd: join(project.work, "flows") });
    expect(missing.stderr).toMatch(/BatonYamlNotFound: no file at .*baton\.yaml; write one with baton init/);
  }, SLOW);

  it("deploys from the checkout's git remote and branch, records the commit, and the same file twice is unchanged", async () => {
    writeFileSync(join(project.work, "baton.yaml"), goodYaml("0 3 * * *"));
    git(project.work, "add", "-A");
    git(project.work, "commit", "-q", "-m", "baton.yaml and the broken files of the tests before");
    git(project.work, "push", "-q", "origin", "main");
    const head = git(project.work, "rev-parse", "HEAD");

    const first = await server.baton(["deploy"], { cwd: project.work });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Deployment 'etl-flow\/nightly' created/);
    expect(first.stderr).not.toMatch(/Warning/);
    const second = await server.baton(["deploy"], { cwd: project.work });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Deployment 'etl-flow\/nightly' unchanged/);

    const d = await server.json<Deployment>(["deployment", "inspect", "etl-flow/nightly"]);
    expect(d.pull_steps).toEqual([{ git_clone: expect.objectContaining({ repository: project.origin, branch: "main" }) }]);
    expect(d.source).toEqual({ repository: project.origin, branch: "main", commit: head });
    expect(d.tags).toEqual(["nightly"]);
    expect(d.parameters).toEqual({ limit: 2 });
    expect(d.parameter_schema).toMatchObject({ properties: { limit: { type: "integer" } } });
    expect(d.schedules.map((s) => s.schedule)).toEqual([expect.objectContaining({ cron: "0 3 * * *", timezone: "Europe/Paris" })]);
    const text = await server.baton(["deployment", "inspect", "etl-flow/nightly"]);
    expect(text.stdout).toMatch(/Source:\s+.*origin\.git, branch main, commit [0-9a-f]{12}/);
    const ls = await server.baton(["deployment", "ls"]);
    expect(ls.stdout).toMatch(/etl-flow\/nightly\s+default\s+cron "0 3 \* \* \*" \(Europe\/Paris\)\s+active/);
  }, SLOW);

  it("a changed schedule replaces the future runs the old one had created", async () => {
    await deployNightly("0 3 * * *");
    const scheduled = async () =>
      (await server.json<FlowRun[]>(["flow-run", "ls", "--state", "SCHEDULED", "--flow", "etl-flow", "--limit", "500"])).filter((r) => r.deployment_name === "nightly");
    await waitFor(async () => ((await scheduled()).length >= 3 ? true : undefined), "the scheduler to create runs");
    expect(new Set((await scheduled()).map((r) => parisTime(r.expected_start_time!)))).toEqual(new Set(["03:00"]));

    writeFileSync(join(project.work, "baton.yaml"), goodYaml("30 4 * * *"));
    commitFiles(project.work, {}, "later");
    git(project.work, "push", "-q", "origin", "main");
    const r = await server.baton(["deploy"], { cwd: project.work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Deployment 'etl-flow\/nightly' updated/);
    await waitFor(async () => {
      const runs = await scheduled();
      return runs.length >= 3 && runs.every((run) => parisTime(run.expected_start_time!) === "04:30") ? true : undefined;
    }, "the future runs to follow the new schedule");
  }, SLOW);

  it("warns that uncommitted changes and unpushed commits will not reach the run", async () => {
    await deployNightly("30 4 * * *");
    writeFileSync(join(project.work, "flows", "extra.ts"), "export const x = 1;\n");
    const dirty = await server.baton(["deploy"], { cwd: project.work });
    expect(dirty.code, dirty.stderr).toBe(0);
    expect(dirty.stderr).toMatch(/Warning: .* has uncommitted changes: runs clone branch main from .*origin\.git and will not see them/);
    git(project.work, "add", "-A");
    git(project.work, "commit", "-q", "-m", "extra");
    const unpushed = await server.baton(["deploy"], { cwd: project.work });
    expect(unpushed.code, unpushed.stderr).toBe(0);
    expect(unpushed.stderr).toMatch(/Warning: commit [0-9a-f]{12} is not pushed to .*origin\.git/);
    expect(unpushed.stderr).not.toMatch(/uncommitted/);
  }, SLOW);

  it("pull: [] deploys code that is already where the run starts, with no git at all", async () => {
    const plain = tempDir("baton-plain-");
    try {
      writeFileSync(join(plain.path, "baton.yaml"), "pull: []\ndeployments:\n  - name: baked\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: default }\n");
      mkdirSync(join(plain.path, "flows"));
      writeFileSync(join(plain.path, "flows", "etl.ts"), ETL_FLOW);
      const r = await server.baton(["deploy"], { cwd: plain.path });
      expect(r.code, r.stderr).toBe(0);
      const d = await server.json<Deployment>(["deployment", "inspect", "etl-flow/baked"]);
      expect(d.pull_steps).toEqual([]);
      expect(d.source).toBeNull();
    } finally {
      plain.remove();
    }
  }, SLOW);
});
