import { execFileSync } from "node:child_process";
import type { FieldIssue, PullStep } from "@baton/core";
import { repositoryUrlProblem } from "@baton/core";

export interface GitSource {
  /** The pull steps a run uses to get this checkout's code. */
  pull: PullStep[];
  source: { repository: string; branch?: string; commit: string };
  /** What the run will not see: uncommitted changes, commits not pushed. */
  warnings: string[];
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }).trim();
  } catch {
    return undefined;
  }
}

/**
 * With no `pull` section, a run gets the code the way this checkout did: a clone of
 * `remote.origin.url` at the current branch (the commit when HEAD is detached), then the
 * folder baton.yaml is in, since entrypoints are relative to it.
 */
export function inferGitSource(projectDir: string): { source?: GitSource; problem?: FieldIssue } {
  const fix = `add a pull section (pull: [] when the code is already where runs start), or run baton deploy from a git checkout with a remote`;
  const top = git(projectDir, ["rev-parse", "--show-toplevel"]);
  if (!top) return { problem: { path: "pull", message: `there is no pull section and ${projectDir} is not in a git repository; ${fix}` } };
  const repository = git(projectDir, ["config", "--get", "remote.origin.url"]);
  if (!repository) return { problem: { path: "pull", message: `there is no pull section and the repository at ${top} has no remote "origin"; git remote add origin URL, or ${fix}` } };
  const urlProblem = repositoryUrlProblem(repository);
  if (urlProblem) return { problem: { path: "pull", message: `remote.origin.url of ${top}: ${urlProblem}` } };
  const commit = git(projectDir, ["rev-parse", "HEAD"]);
  if (!commit) return { problem: { path: "pull", message: `the repository at ${top} has no commit yet; commit the flows first` } };
  const branch = git(projectDir, ["symbolic-ref", "--short", "-q", "HEAD"]) || undefined;

  const warnings: string[] = [];
  if (git(projectDir, ["status", "--porcelain"])) {
    warnings.push(`${top} has uncommitted changes: runs clone ${branch ? `branch ${branch}` : `commit ${commit.slice(0, 12)}`} from ${repository} and will not see them; commit and push first`);
  }
  const upstream = branch ? git(projectDir, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]) : undefined;
  const unpushed = upstream
    ? git(projectDir, ["rev-list", "--count", `${upstream}..HEAD`]) !== "0"
    : !git(projectDir, ["branch", "-r", "--contains", "HEAD"]);
  if (unpushed) warnings.push(`commit ${commit.slice(0, 12)} is not pushed to ${repository}: runs will not see it until you push${branch ? ` branch ${branch}` : ""}`);

  const clone = { git_clone: { repository, ...(branch ? { branch } : { commit_sha: commit }), include_submodules: false } };
  // The folder of baton.yaml inside the repository (git resolves symlinks on both sides).
  const sub = (git(projectDir, ["rev-parse", "--show-prefix"]) ?? "").replace(/\/$/, "");
  const pull: PullStep[] = sub ? [clone, { set_working_directory: { directory: sub } }] : [clone];
  return { source: { pull, source: { repository, ...(branch ? { branch } : {}), commit }, warnings } };
}
