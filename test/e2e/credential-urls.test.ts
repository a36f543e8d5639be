import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { callApi } from "../helpers/call-api.js";
import { commitFiles, git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/tmp.js";
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
  const api = (method: string, path: string, body?: unknown) => callApi(apiUrl, adminKey, method, path, body);
  const storedDeployments = async () => {
    const answer = await api("GET", "/deployments");
    expect(answer.status, answer.text).toBe(200);
    return answer.body.items as unknown[];
  };

  beforeAll(async () => {
    home = tempDir("baton-cred-urls-");
    const started = await startBatonServer({ home: home.path, env: { BATON_SERVER_BOOTSTRAP_API_KEY: adminKey } });
    apiUrl = started.apiUrl;
    server = started.child;
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

  it("baton deploy infers the pull step from an origin remote with a token in it (a GitLab runner's checkout) without the token", async () => {
    writeFileSync(join(project.work, "baton.yaml"), "deployments:\n  - name: nightly\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool: { name: default }\n");
    commitFiles(project.work, {}, "baton.yaml");
    git(project.work, "remote", "set-url", "origin", `https://gitlab-ci-token:${TOKEN}@git.example.com/org/repo.git`);
    git(project.work, "checkout", "-q", "--detach");
    try {
      const result = await runBaton(["deploy", "--all"], {
        cwd: project.work,
        env: { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: adminKey, CI_COMMIT_BRANCH: "main" },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.match(/has a credential in it/g)).toHaveLength(1);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
      const stored = (await storedDeployments()) as Array<{ id: string; pull_steps: unknown; source: unknown }>;
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(TOKEN);
      expect(stored[0]!.pull_steps).toEqual([{ git_clone: { repository: "https://git.example.com/org/repo.git", branch: "main", include_submodules: false } }]);
      expect(await api("DELETE", `/deployments/${stored[0]!.id}`)).toMatchObject({ status: 204 });
    } finally {
      git(project.work, "checkout", "-q", "main");
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

  it.each([
    ["an access token written out", { pull_steps: [{ git_clone: { repository: "https://git.example.com/org/repo.git", access_token: TOKEN } }] }, "body.pull_steps.0.git_clone.access_token", /must be a reference to a secret/],
    ["a private key written out", { pull_steps: [{ git_clone: { repository: "git@git.example.com:org/repo.git", ssh_key: `-----BEGIN OPENSSH PRIVATE KEY-----\n${TOKEN}\n-----END OPENSSH PRIVATE KEY-----` } }] }, "body.pull_steps.0.git_clone.ssh_key", /must be a reference to a secret/],
    ["a token beside a reference", { pull_steps: [{ git_clone: { repository: "https://git.example.com/org/repo.git", access_token: `${TOKEN}{{ baton.secrets.repo-token }}` } }] }, "body.pull_steps.0.git_clone.access_token", /must be a reference to a secret/],
    ["a repository named ..", { pull_steps: [{ git_clone: { repository: "https://git.example.com/...git" } }] }, "body.pull_steps.0.git_clone.repository", /names the repository "\.\."/],
    ["a repository named .", { pull_steps: [{ git_clone: { repository: "https://git.example.com/org/..git" } }] }, "body.pull_steps.0.git_clone.repository", /names the repository "\."/],
  ])("the API answers 422 to a deployment with %s, naming the field, and stores nothing", async (_what, body, path, message) => {
    const answer = await api("POST", "/deployments", upsert(body));
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(answer.body.message).toMatch(message);
    expect(answer.text).not.toContain(TOKEN);
    expect(await storedDeployments()).toEqual([]);
  });

  it("baton deploy refuses a literal access_token, naming the YAML path and the fix, and sends nothing", async () => {
    writeFileSync(
      join(project.work, "baton.yaml"),
      `deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etlFlow
    pull:
      - git_clone: { repository: "https://git.example.com/org/repo.git", access_token: "${TOKEN}" }
    work_pool: { name: default }
`,
    );
    const result = await baton(["deploy", "--all"], project.work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("deployments[0].pull[0].git_clone.access_token: must be a reference to a secret");
    expect(result.stderr).toContain("baton secret set NAME");
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(await storedDeployments()).toEqual([]);
  }, SLOW);

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
