/*
 * docs/deploy-from-code.md, run as written: its package.json and deploy.ts in a project beside
 * the example flow, `npx tsx deploy.ts` with the documented environment, against a real server.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cleanEnv } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { startTestServer, type TestServer } from "./worker-setup.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const page = readFileSync(join(root, "docs/deploy-from-code.md"), "utf8");

/** The fenced block of `lang` that comes after `marker` in the page. */
function block(marker: string, lang: string): string {
  const at = page.indexOf(marker);
  if (at < 0) throw new Error(`docs/deploy-from-code.md does not mention ${marker}`);
  const found = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(page.slice(at));
  if (!found) throw new Error(`no \`\`\`${lang} block after ${marker}`);
  return found[1]!;
}

function run(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.each(DATABASE_KINDS)("the fromSource().deploy() recipe on %s", (kind) => {
  let t: TestServer;
  const project = tempDir("baton-deploy-recipe-");
  beforeAll(async () => {
    t = await startTestServer(kind);
    await t.client.call("createWorkPool", { body: { name: "default", type: "process" } });
    await t.client.call("setSecret", { params: { name: "deploy-key" }, body: { value: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n", work_pools: ["*"] } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    project.remove();
  });

  test("deploy.ts runs with npx tsx, top-level await included, creates the deployment and exits; again, unchanged", async () => {
    writeFileSync(join(project.path, "package.json"), block("`package.json`", "json"));
    writeFileSync(join(project.path, "deploy.ts"), block("`deploy.ts`", "ts"));
    mkdirSync(join(project.path, "flows"));
    copyFileSync(join(root, "examples/etl/flows/etl.ts"), join(project.path, "flows/etl.ts"));
    // As after `npm install baton`: the packages resolve from the project's node_modules.
    symlinkSync(join(root, "node_modules"), join(project.path, "node_modules"));
    const commands = block("Run it against your server", "sh")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("export "));
    expect(commands).toEqual(["npx tsx deploy.ts"]);
    const env = { BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, BATON_HOME: join(project.path, ".baton") };

    const first = await run(commands[0]!, project.path, env);
    expect(first.output).toMatch(/Deployment etl-flow\/etl-prod created \([0-9a-f-]{36}\)/);
    expect(first.code, first.output).toBe(0);
    const deployment = await t.client.call("readDeploymentByName", { params: { flow: "etl-flow", name: "etl-prod" } });
    expect(deployment).toMatchObject({
      entrypoint: "flows/etl.ts:etlFlow",
      work_pool_name: "default",
      parameters: { limit: 2 },
      pull_steps: [{ git_clone: { repository: "git@gitlab.example.com:team/etl.git", branch: "main", ssh_key: "{{ baton.secrets.deploy-key }}" } }],
    });

    const again = await run(commands[0]!, project.path, env);
    expect(again.output).toMatch(/Deployment etl-flow\/etl-prod unchanged/);
    expect(again.code, again.output).toBe(0);
  }, 240_000);
});
