import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { inferGitSource } from "./git-source.js";
import { BatonYamlSyntaxError, parseBatonYaml } from "./read-yaml.js";

describe("reading baton.yaml", () => {
  it("expands anchors, aliases and merge keys", () => {
    const doc = parseBatonYaml(
      "definitions:\n  pool: &pool { name: default }\n  base: &base\n    entrypoint: flows/a.ts:a\n    tags: [x]\ndeployments:\n  - <<: *base\n    name: one\n    work_pool: *pool\n",
      "baton.yaml",
    ) as { deployments: unknown[] };
    expect(doc.deployments[0]).toEqual({ entrypoint: "flows/a.ts:a", tags: ["x"], name: "one", work_pool: { name: "default" } });
  });

  it("names the line and column of a syntax error, and a duplicated key", () => {
    expect(() => parseBatonYaml("deployments:\n  - name: x\n    entrypoint: [a\n", "baton.yaml")).toThrow(BatonYamlSyntaxError);
    expect(() => parseBatonYaml("deployments:\n  - name: x\n    entrypoint: [a\n", "baton.yaml")).toThrow(/baton\.yaml line \d+, column \d+/);
    expect(() => parseBatonYaml("name: a\nname: b\n", "baton.yaml")).toThrow(/line 2/);
  });
});

describe("the git source of a checkout", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
  // Only the variables a test names: the machine running the tests may itself be a CI job.
  const noCi = { PATH: process.env.PATH, HOME: process.env.HOME };

  function checkout(remote: string | undefined): string {
    const dir = mkdtempSync(join(tmpdir(), "baton-git-"));
    dirs.push(dir);
    mkdirSync(join(dir, "project", "flows"), { recursive: true });
    writeFileSync(join(dir, "project", "flows", "a.ts"), "export {};\n");
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "one");
    if (remote) git(dir, "remote", "add", "origin", remote);
    return dir;
  }

  it("clones the remote at the branch, then goes to the folder of baton.yaml", () => {
    const dir = checkout("https://git.example.com/org/repo.git");
    const { source, problem } = inferGitSource(join(dir, "project"), { env: noCi });
    expect(problem).toBeUndefined();
    expect(source!.pull).toEqual([
      { git_clone: { repository: "https://git.example.com/org/repo.git", branch: "main", include_submodules: false } },
      { set_working_directory: { directory: "project" } },
    ]);
    expect(source!.source).toEqual({ repository: "https://git.example.com/org/repo.git", branch: "main", commit: git(dir, "rev-parse", "HEAD") });
    // Never pushed anywhere: the run would not see this commit.
    expect(source!.warnings.join("\n")).toMatch(/is not pushed to https:\/\/git\.example\.com\/org\/repo\.git/);
  });

  it("refuses a detached HEAD that no CI variable or --branch names, naming both fixes", () => {
    const dir = checkout("git@git.example.com:org/repo.git");
    git(dir, "checkout", "-q", "--detach");
    const message = inferGitSource(dir, { env: noCi }).problem?.message;
    expect(message).toMatch(/HEAD of .* is detached/);
    expect(message).toMatch(/baton deploy --branch NAME/);
    expect(message).toMatch(/pull section/);
    const { source } = inferGitSource(dir, { env: noCi, branch: "release" });
    expect(source!.pull).toEqual([{ git_clone: { repository: "git@git.example.com:org/repo.git", branch: "release", include_submodules: false } }]);
  });

  it("reads a GitLab runner's checkout: the job token leaves the URL, the branch comes from CI_COMMIT_BRANCH", () => {
    const token = "glcbt-64_s3cr3tJobT0ken";
    const dir = checkout(`https://gitlab-ci-token:${token}@gitlab.example.com/group/repo.git`);
    git(dir, "checkout", "-q", "--detach");
    const { source, problem } = inferGitSource(join(dir, "project"), { env: { ...noCi, CI_COMMIT_BRANCH: "main" } });
    expect(problem).toBeUndefined();
    expect(source!.pull[0]).toEqual({ git_clone: { repository: "https://gitlab.example.com/group/repo.git", branch: "main", include_submodules: false } });
    expect(source!.source.repository).toBe("https://gitlab.example.com/group/repo.git");
    const credentialWarnings = source!.warnings.filter((w) => /credential in it/.test(w));
    expect(credentialWarnings).toHaveLength(1);
    expect(credentialWarnings[0]).toMatch(/access_token/);
    expect(JSON.stringify(source)).not.toContain(token);
  });

  it("reads GitHub's checkout: the source branch of a pull request, the pushed branch otherwise; the extraheader stays behind", () => {
    const dir = checkout("https://github.example.com/org/repo.git");
    git(dir, "config", "http.https://github.example.com/.extraheader", "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==");
    git(dir, "checkout", "-q", "--detach");
    const pr = inferGitSource(dir, { env: { ...noCi, GITHUB_HEAD_REF: "feature/x", GITHUB_REF_NAME: "42/merge" } }).source!;
    expect(pr.source.branch).toBe("feature/x");
    const push = inferGitSource(dir, { env: { ...noCi, GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "main" } }).source!;
    expect(push.source.branch).toBe("main");
    expect(JSON.stringify([pr, push])).not.toMatch(/AUTHORIZATION|ghs_secret|eC1hY2Nlc3M/);
    // --branch wins over what CI says.
    expect(inferGitSource(dir, { env: { ...noCi, GITHUB_REF_NAME: "main" }, branch: "hotfix" }).source!.source.branch).toBe("hotfix");
  });

  it("keeps the account of an ssh URL and drops only its password", () => {
    const dir = checkout("ssh://git:hunter2@git.example.com/org/repo.git");
    const { source } = inferGitSource(dir, { env: noCi });
    expect(source!.source.repository).toBe("ssh://git@git.example.com/org/repo.git");
  });

  it("says exactly that git refuses a checkout another user owns, and reads it once safe.directory allows it", () => {
    if (process.getuid?.() !== 0) return; // only root can give the checkout away
    const dir = checkout("https://git.example.com/org/repo.git");
    const home = mkdtempSync(join(tmpdir(), "baton-home-"));
    dirs.push(home);
    execFileSync("chown", ["-R", "nobody", dir]);
    const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: "1" };
    const message = inferGitSource(dir, { env }).problem?.message;
    expect(message).toMatch(/dubious ownership/);
    expect(message).toContain(`git config --global --add safe.directory ${dir}`);
    execFileSync("git", ["config", "--global", "--add", "safe.directory", dir], { env });
    expect(inferGitSource(dir, { env }).source!.source.branch).toBe("main");
  });

  it("refuses a repository without origin, and a folder outside git", () => {
    expect(inferGitSource(checkout(undefined)).problem?.message).toMatch(/has no remote "origin"; git remote add origin URL/);
    const plain = mkdtempSync(join(tmpdir(), "baton-plain-"));
    dirs.push(plain);
    expect(inferGitSource(plain).problem?.message).toMatch(/is not in a git repository/);
  });
});
