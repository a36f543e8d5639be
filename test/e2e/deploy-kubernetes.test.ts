import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment } from "@baton/core";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

const BATON_YAML = `deployments:
  - name: bad-job
    entrypoint: flows/etl.ts:etlFlow
    work_pool:
      name: k8s
      job_variables:
        memory_limit: "12 GB"
        labels: { team: "data science" }
  - name: good-job
    entrypoint: flows/etl.ts:etlFlow
    work_pool:
      name: k8s
      job_variables: { memory_limit: 2Gi, labels: { team: data-science } }
`;

// The check is the CLI's (the same code as the worker's); one database is enough.
describe("baton deploy to a Kubernetes pool checks the Job its runs would create", () => {
  let server: CliServer;
  let dir: { path: string; remove(): void };
  let work = "";

  beforeAll(async () => {
    server = await startCliServer("sqlite");
    dir = tempDir("baton-deploy-k8s-");
    work = makeProject(dir.path, { "baton.yaml": BATON_YAML }).work;
    git(work, "push", "-q", "origin", "main");
    const pool = await server.baton(["work-pool", "create", "k8s", "--type", "kubernetes"]);
    expect(pool.code, pool.stderr).toBe(0);
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  }, SLOW);

  it("a malformed quantity or label is refused at deploy time at its YAML path, and nothing is written", async () => {
    const r = await server.baton(["deploy", "--all"], { cwd: work });
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    // The pool's variables schema refuses it first (a quantity pattern), so the Job's own check does not say it twice.
    expect(r.stderr).toMatch(/deployments\[0\]\.work_pool\.job_variables\.memory_limit: "12 GB" must match the pattern .*; fix the value \(memory_limit, Memory limit: e\.g\. 1Gi\)/);
    expect(r.stderr).toMatch(/deployments\[0\]\.work_pool\.job_variables\.labels\.team: label value "data science" .*\(the Job's metadata\.labels\.team and spec\.template\.metadata\.labels\.team\)/);
    expect(r.stderr).toMatch(/has 2 problems/);
    expect(r.stderr).not.toMatch(/deployments\[1\]/);
    expect(r.stderr).toMatch(/nothing was deployed/);
    expect(await server.json<Deployment[]>(["deployment", "ls"])).toEqual([]);
  }, SLOW);

  it("a valid Job deploys", async () => {
    const r = await server.baton(["deploy", "--name", "good-job"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect((await server.json<Deployment[]>(["deployment", "ls"])).map((d) => d.name)).toEqual(["good-job"]);
  }, SLOW);
});
