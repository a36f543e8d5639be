import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton, startBaton, waitFor } from "../helpers/cli.js";
import { commitFiles, git } from "../helpers/git-repo.js";
import { freePort, tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;
const TOKEN = "glpat-SuperSecret123";

/**
 * A repository URL is stored on the server, shown in the UI and printed in logs: one with a
 * token in it is refused wherever it would be stored, by the command line before it sends it
 * and by the server whoever sends it.
 */
describe("repository URLs with credentials are refused", () => {
  let home: { path: string; remove(): void };
  let server: ChildProcess & { output(): string };
  let apiUrl: string;
  let project: ReturnType<typeof makeProject>;
  // The first admin key is chosen here; a server without authentication ignores it.
  const adminKey = `bat_${randomBytes(32).toString("base64url")}`;
  const baton = (args: string[], cwd?: string) => runBaton(args, { env: { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: adminKey }, ...(cwd ? { cwd } : {}) });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : null };
  };
  const storedDeployments = async () => {
    const answer = await api("GET", "/deployments");
    expect(answer.status, answer.text).toBe(200);
    return answer.body.items as unknown[];
  };

  beforeAll(async () => {
    home = tempDir("baton-cred-urls-");
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}/api`;
    server = startBaton(["server", "start", "--port", String(port)], { env: { BATON_HOME: home.path, BATON_SERVER_BOOTSTRAP_API_KEY: adminKey } });
    await waitFor(() => server.output().includes("listening") || server.exitCode !== null, "the server to start", 120_000);
    expect(server.exitCode, server.output()).toBeNull();
    project = makeProject(join(home.path, "project"));
    const pool = await baton(["work-pool", "create", "default", "--type", "process"]);
    expect(pool.code, pool.stderr).toBe(0);
  }, SLOW);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("close", resolve));
    }
    home?.remove();
  });

  it("baton deploy refuses a baton.yaml pull step with a token in its URL, naming the YAML path and the fix", async () => {
    writeFileSync(
      join(project.work, "baton.yaml"),
      `deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etlFlow
    pull:
      - git_clone: { repository: "https://deployer:${TOKEN}@git.example.com/org/repo.git" }
    work_pool: { name: default }
`,
    );
    const result = await baton(["deploy", "--all"], project.work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("deployments[0].pull[0].git_clone.repository: the URL has a credential inside it");
    expect(result.stderr).toContain('access_token: "{{ baton.secrets.NAME }}"');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(await storedDeployments()).toEqual([]);
  }, SLOW);

  it("baton deploy refuses to infer a pull step from an origin remote with a token in it", async () => {
    writeFileSync(join(project.work, "baton.yaml"), "deployments:\n  - name: nightly\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: default }\n");
    commitFiles(project.work, {}, "baton.yaml");
    git(project.work, "remote", "set-url", "origin", `https://${TOKEN}@git.example.com/org/repo.git`);
    try {
      const result = await baton(["deploy", "--all"], project.work);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/remote\.origin\.url of .*: the URL has a credential inside it/);
      expect(result.stderr).toContain("access_token");
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
      expect(await storedDeployments()).toEqual([]);
    } finally {
      git(project.work, "remote", "set-url", "origin", project.origin);
    }
  }, SLOW);

  const upsert = (overrides: Record<string, unknown>) => ({ flow_name: "etl-flow", name: "direct", entrypoint: "flows/etl.ts:etlFlow", work_pool_name: "default", ...overrides });

  it.each([
    ["a pull step with user:token", { pull_steps: [{ git_clone: { repository: `https://deployer:${TOKEN}@git.example.com/org/repo.git` } }] }, "body.pull_steps.0.git_clone.repository"],
    ["a pull step with a token as the user", { pull_steps: [{ git_clone: { repository: `https://${TOKEN}@github.com/org/repo.git` } }] }, "body.pull_steps.0.git_clone.repository"],
    ["an ssh URL with a password", { pull_steps: [{ git_clone: { repository: `ssh://git:${TOKEN}@git.example.com/org/repo.git` } }] }, "body.pull_steps.0.git_clone.repository"],
    ["the source shown to people", { pull_steps: [], source: { repository: `https://oauth2:${TOKEN}@gitlab.example.com/org/repo.git`, branch: "main" } }, "body.source.repository"],
  ])("the API answers 422 to a deployment with %s, and stores nothing", async (_what, body, path) => {
    const answer = await api("POST", "/deployments", upsert(body));
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(answer.body.message).toContain("the URL has a credential inside it");
    expect(answer.text).not.toContain(TOKEN);
    expect(await storedDeployments()).toEqual([]);
  });

  it("the API takes the same deployment with a clean URL and the token as a secret reference", async () => {
    const answer = await api(
      "POST",
      "/deployments",
      upsert({
        pull_steps: [{ git_clone: { repository: "https://git.example.com/org/repo.git", access_token: "{{ baton.secrets.repo-token }}" } }, { git_clone: { repository: "git@git.example.com:org/repo.git" } }],
        source: { repository: "https://git.example.com/org/repo.git", branch: "main" },
      }),
    );
    expect(answer.status, answer.text).toBeLessThan(300);
    expect(await storedDeployments()).toHaveLength(1);
  });
});
