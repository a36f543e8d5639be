import { execFileSync } from "node:child_process";
import type { FieldIssue, PullStep } from "@baton/core";
import { redactUrl, repositoryUrlProblem } from "@baton/core";
import { branchFromCi, withoutUserInfo } from "./checkout-facts.js";

export interface GitSource {
  /** The pull steps a run uses to get this checkout's code. */
  pull: PullStep[];
  source: { repository: string; branch?: string; commit: string };
  /** What the run will not see (uncommitted changes, commits not pushed), and what deploy changed. */
  warnings: string[];
}

export interface CheckoutOptions {
  /** `baton deploy --branch`: wins over the CI's variables and the checked-out branch. */
  branch?: string;
  /** Where CI variables come from (process.env in the CLI). */
  env?: NodeJS.ProcessEnv;
}

class GitRefused extends Error {}

function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...env, GIT_TERMINAL_PROMPT: "0" } }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    // git refuses any command in a checkout another user owns; "not a git repository" would mislead.
    const dubious = /dubious ownership in repository at '([^']+)'/.exec(stderr);
    if (dubious) {
      throw new GitRefused(
        `git refuses to read ${dubious[1]}: the checkout belongs to another user than the one running baton ("dubious ownership"); ` +
          `run git config --global --add safe.directory ${dubious[1]} first, or run baton as the checkout's owner`,
      );
    }
    return undefined;
  }
}

/**
 * With no `pull` section, a run gets the code the way this checkout did: a clone of
 * `remote.origin.url` (without any user info a CI runner put there) at the branch CI names
 * or the checked-out branch, then the folder baton.yaml is in, since entrypoints are relative to it.
 */
export function inferGitSource(projectDir: string, options: CheckoutOptions = {}): { source?: GitSource; problem?: FieldIssue } {
  try {
    return infer(projectDir, options);
  } catch (error) {
    if (error instanceof GitRefused) return { problem: { path: "pull", message: error.message } };
    throw error;
  }
}

function infer(projectDir: string, options: CheckoutOptions): { source?: GitSource; problem?: FieldIssue } {
  const env = options.env ?? process.env;
  const git = (args: string[]) => runGit(projectDir, args, env);
  const fix = `add a pull section (pull: [] when the code is already where runs start), or run baton deploy from a git checkout with a remote`;
  const top = git(["rev-parse", "--show-toplevel"]);
  if (!top) return { problem: { path: "pull", message: `there is no pull section and ${projectDir} is not in a git repository; ${fix}` } };
  const remote = git(["config", "--get", "remote.origin.url"]);
  if (!remote) return { problem: { path: "pull", message: `there is no pull section and the repository at ${top} has no remote "origin"; git remote add origin URL, or ${fix}` } };

  const warnings: string[] = [];
  const { url: repository, stripped } = withoutUserInfo(remote);
  if (stripped) {
    // GitLab runners clone with https://gitlab-ci-token:<job token>@host/...: the token lives for one job.
    warnings.push(
      `remote.origin.url of ${top} has a credential in it (${redactUrl(remote)}); runs clone ${repository} without it. ` +
        `For a private repository add a pull section with access_token: "{{ baton.secrets.NAME }}"`,
    );
  }
  const urlProblem = repositoryUrlProblem(repository);
  if (urlProblem) return { problem: { path: "pull", message: `remote.origin.url of ${top}: ${urlProblem}` } };
  const commit = git(["rev-parse", "HEAD"]);
  if (!commit) return { problem: { path: "pull", message: `the repository at ${top} has no commit yet; commit the flows first` } };

  const checkedOut = git(["symbolic-ref", "--short", "-q", "HEAD"]) || undefined;
  const fromCi = options.branch ? undefined : branchFromCi(env);
  const branch = options.branch ?? fromCi?.branch ?? checkedOut;
  if (!branch) {
    return {
      problem: {
        path: "pull",
        message:
          `HEAD of ${top} is detached (commit ${commit.slice(0, 12)}) and no CI variable names a branch ` +
          `(CI_COMMIT_BRANCH, GITHUB_HEAD_REF, GITHUB_REF_NAME); give the branch runs should clone with baton deploy --branch NAME, ` +
          `or write a pull section with git_clone: { repository, branch } or commit_sha`,
      },
    };
  }

  if (git(["status", "--porcelain"])) {
    warnings.push(`${top} has uncommitted changes: runs clone branch ${branch} from ${repository} and will not see them; commit and push first`);
  }
  // A CI checkout was fetched from the remote (a pull request's merge commit is on no branch): only a laptop can be ahead of it.
  if (!fromCi && !options.branch) {
    const upstream = checkedOut ? git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]) : undefined;
    const unpushed = upstream ? git(["rev-list", "--count", `${upstream}..HEAD`]) !== "0" : !git(["branch", "-r", "--contains", "HEAD"]);
    if (unpushed) warnings.push(`commit ${commit.slice(0, 12)} is not pushed to ${repository}: runs will not see it until you push branch ${branch}`);
  }

  const clone = { git_clone: { repository, branch, include_submodules: false } };
  // The folder of baton.yaml inside the repository (git resolves symlinks on both sides).
  const sub = (git(["rev-parse", "--show-prefix"]) ?? "").replace(/\/$/, "");
  const pull: PullStep[] = sub ? [clone, { set_working_directory: { directory: sub } }] : [clone];
  return { source: { pull, source: { repository, branch, commit }, warnings } };
}
