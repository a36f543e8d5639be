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
    const { source, problem } = inferGitSource(join(dir, "project"));
    expect(problem).toBeUndefined();
    expect(source!.pull).toEqual([
      { git_clone: { repository: "https://git.example.com/org/repo.git", branch: "main", include_submodules: false } },
      { set_working_directory: { directory: "project" } },
    ]);
    expect(source!.source).toEqual({ repository: "https://git.example.com/org/repo.git", branch: "main", commit: git(dir, "rev-parse", "HEAD") });
    // Never pushed anywhere: the run would not see this commit.
    expect(source!.warnings.join("\n")).toMatch(/is not pushed to https:\/\/git\.example\.com\/org\/repo\.git/);
  });

  it("pins the commit when HEAD is detached", () => {
    const dir = checkout("git@git.example.com:org/repo.git");
    const head = git(dir, "rev-parse", "HEAD");
    git(dir, "checkout", "-q", "--detach");
    const { source } = inferGitSource(dir);
    expect(source!.pull).toEqual([{ git_clone: { repository: "git@git.example.com:org/repo.git", commit_sha: head, include_submodules: false } }]);
  });

  it("refuses a remote with a credential inside, a repository without origin, and a folder outside git", () => {
    expect(inferGitSource(checkout("https://bot:tok3n@git.example.com/org/repo.git")).problem?.message).toMatch(/credential inside it \(https:\/\/\*\*\*\*@/);
    expect(inferGitSource(checkout(undefined)).problem?.message).toMatch(/has no remote "origin"; git remote add origin URL/);
    const plain = mkdtempSync(join(tmpdir(), "baton-plain-"));
    dirs.push(plain);
    expect(inferGitSource(plain).problem?.message).toMatch(/is not in a git repository/);
  });
});
