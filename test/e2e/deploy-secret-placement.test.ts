/*
 * `baton deploy` refuses a deployment whose job variables put a secret outside env (the worker
 * would refuse every one of its runs), naming the deployment's job_variables and where the
 * secret lands; in env it deploys.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";
import { startCliServer, type CliServer } from "./deploy-server.js";

const SLOW = 300_000;

const yaml = (jobVariables: string) => `pull: []
deployments:
  - name: probe
    entrypoint: flows/etl.ts:etlFlow
    work_pool:
      name: default
      job_variables: ${jobVariables}
`;

describe.each(DATABASE_KINDS)("baton deploy and secrets outside env, on %s", (kind) => {
  let server: CliServer;
  let dir: { path: string; remove(): void };
  let project: ReturnType<typeof makeProject>;
  beforeAll(async () => {
    server = await startCliServer(kind);
    dir = tempDir("baton-project-");
    project = makeProject(dir.path);
    for (const args of [["work-pool", "create", "default", "--type", "process"], ["secret", "set", "api-token", "--value", "tok-5c3a9e7d21", "--pool", "*"]]) {
      const r = await server.baton(args);
      expect(r.code, r.stderr).toBe(0);
    }
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  }, SLOW);

  it("refuses a secret in the command, naming where it lands, and deploys it from env", async () => {
    writeFileSync(join(project.work, "argv.yaml"), yaml(`{ command: "sh -c 'curl -H {{ baton.secrets.api-token }} x'" }`));
    const refused = await server.baton(["deploy", "--all", "--file", "argv.yaml"], { cwd: project.work });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("deployments[0].work_pool.job_variables: {{ baton.secrets.api-token }} lands in the job configuration's command, outside env: workers refuse a secret there");
    expect(await server.json<Deployment[]>(["deployment", "ls"])).toEqual([]);
    writeFileSync(join(project.work, "env.yaml"), yaml(`{ env: { TOKEN: "{{ baton.secrets.api-token }}" } }`));
    const ok = await server.baton(["deploy", "--all", "--file", "env.yaml"], { cwd: project.work });
    expect(ok.code, ok.stderr).toBe(0);
  }, SLOW);
});
