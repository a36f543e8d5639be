import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { GitCloneError, GitNotInstalled, GitRefNotFound, classifyGitFailure } from "./git-errors.js";
import { noAuth, sshKeyAuth, tokenAuth, type GitAuth } from "./git-credentials.js";
import { withDirectoryLock } from "./directory-lock.js";

export interface GitCloneOptions {
  repository: string;
  branch?: string;
  commitSha?: string;
  includeSubmodules?: boolean;
  /** Sparse checkout of these folders only. */
  directories?: string[];
  /** Secrets, already resolved on this machine. */
  accessToken?: string;
  username?: string;
  sshKey?: string;
  knownHosts?: string;
  /** The checkout goes to `<workDir>/<repository name>`. */
  workDir: string;
  /** Bare mirrors kept between runs, one per repository URL. */
  cacheDir: string;
  /** Base environment for git (GIT_SSL_CAINFO, proxies...). */
  env?: NodeJS.ProcessEnv;
}

export interface GitCloneResult {
  directory: string;
  commit: string;
  /** True when nothing was fetched: the commit was already in the local cache. */
  fromCache: boolean;
}

interface GitRun {
  stdout: string;
  stderr: string;
}

function runGit(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { env, cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout: stdout.trim(), stderr });
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return reject(new GitNotInstalled("GitNotInstalled: git is not installed where this run executes; install it (apt-get install git) or use an image that has it"));
      }
      reject(Object.assign(new GitCloneError(stderr || error.message, stderr), { gitFailed: true }));
    });
  });
}

function authFor(options: GitCloneOptions): GitAuth {
  if (options.accessToken) return tokenAuth(options.repository, options.accessToken, options.username);
  if (options.sshKey || options.knownHosts !== undefined) return sshKeyAuth(options.sshKey, options.knownHosts);
  return noAuth();
}

/** `ssh://git@host/org/repo.git` -> `repo`. */
export function repositoryName(repository: string): string {
  return basename(repository.replace(/[/:]+$/, "").split(/[/:]/).pop() ?? "repo").replace(/\.git$/, "") || "repo";
}

/**
 * Clone through a local bare mirror: the first run fetches everything, later runs fetch only
 * what is new (or nothing, for a commit already cached), and every run checks out into a
 * fresh folder, so a rerun never trips over "destination path already exists".
 */
export async function gitClone(options: GitCloneOptions): Promise<GitCloneResult> {
  const auth = authFor(options);
  const ref = options.commitSha ?? options.branch;
  const context = { repository: options.repository, ...(ref ? { ref } : {}), auth: auth.kind };
  const env = { ...process.env, ...options.env, ...auth.env };
  const git = (args: string[], cwd?: string) =>
    runGit([...auth.configArgs, ...args], env, cwd).catch((error: unknown) => {
      if ((error as { gitFailed?: boolean }).gitFailed) throw classifyGitFailure((error as GitCloneError).gitOutput, context);
      throw error;
    });
  try {
    mkdirSync(options.cacheDir, { recursive: true });
    const mirror = join(options.cacheDir, `${createHash("sha256").update(options.repository).digest("hex").slice(0, 20)}.git`);
    let fromCache = false;
    await withDirectoryLock(`${mirror}.lock`, async () => {
      if (!existsSync(mirror)) {
        const partial = `${mirror}.partial-${process.pid}`;
        rmSync(partial, { recursive: true, force: true });
        await git(["clone", "--quiet", "--bare", "--", options.repository, partial]);
        renameSync(partial, mirror);
        return;
      }
      if (options.commitSha && (await hasCommit(mirror, options.commitSha, env))) {
        fromCache = true;
        return;
      }
      await git(["-C", mirror, "fetch", "--quiet", "--prune", "--tags", "origin", "+refs/heads/*:refs/heads/*"]);
    });
    const commit = await resolveCommit(mirror, options, env);
    const directory = join(options.workDir, repositoryName(options.repository));
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(options.workDir, { recursive: true });
    await runGit(["clone", "--quiet", "--no-checkout", "--", mirror, directory], env);
    await runGit(["-C", directory, "remote", "set-url", "origin", options.repository], env);
    if (options.directories?.length) await runGit(["-C", directory, "sparse-checkout", "set", "--cone", ...options.directories], env);
    await runGit(["-C", directory, "checkout", "--quiet", ...(options.branch ? ["-B", options.branch, commit] : ["--detach", commit])], env);
    if (options.includeSubmodules) await git(["-C", directory, "submodule", "update", "--quiet", "--init", "--recursive"]);
    return { directory, commit, fromCache };
  } finally {
    auth.dispose();
  }
}

async function hasCommit(mirror: string, sha: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await runGit(["-C", mirror, "cat-file", "-e", `${sha}^{commit}`], env);
    return true;
  } catch {
    return false;
  }
}

async function resolveCommit(mirror: string, options: GitCloneOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const ref = options.commitSha ? `${options.commitSha}^{commit}` : options.branch ? `refs/heads/${options.branch}^{commit}` : "HEAD^{commit}";
  try {
    return (await runGit(["-C", mirror, "rev-parse", "--verify", "--quiet", ref], env)).stdout;
  } catch {
    const what = options.commitSha ? `commit ${options.commitSha}` : options.branch ? `branch "${options.branch}"` : "a default branch";
    throw new GitRefNotFound(`GitRefNotFound: ${what} does not exist in ${options.repository}; check branch or commit_sha in the git_clone step`);
  }
}
