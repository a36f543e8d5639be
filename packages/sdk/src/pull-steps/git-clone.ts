import { createHash } from "node:crypto";
import { repositoryName } from "@baton/core/runtime";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { runChild, type ChildFailure } from "./child-process.js";
import { GitCloneError, GitNotInstalled, GitRefNotFound, UnsafeRepositoryName, classifyGitFailure } from "./git-errors.js";
import { noAuth, sshKeyAuth, tokenAuth, type GitAuth } from "./git-credentials.js";
import { withDirectoryLock } from "./directory-lock.js";
import { GitProgressReader, type GitProgress } from "./git-progress.js";

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
  /** Stops git (its whole process group) and the wait for the mirror's lock: the step's time limit. */
  signal?: AbortSignal;
  /** Where the fetch is, as git reports it: asked of git (`--progress`) only when someone listens. */
  onProgress?: (progress: GitProgress) => void;
}

export interface GitCloneResult {
  directory: string;
  commit: string;
  /** True when nothing was fetched: the commit was already in the local cache. */
  fromCache: boolean;
}

function runGit(args: string[], env: NodeJS.ProcessEnv, cwd?: string, signal?: AbortSignal, onProgress?: (progress: GitProgress) => void): Promise<{ stdout: string; stderr: string }> {
  const reader = onProgress ? new GitProgressReader(onProgress) : undefined;
  const spawned = runChild("git", args, { env, ...(cwd ? { cwd } : {}), ...(signal ? { signal } : {}), ...(reader ? { onStderr: (text: string) => reader.write(text) } : {}) });
  return spawned.catch((error: ChildFailure) => {
    if (error.code === "ENOENT") {
      throw new GitNotInstalled("GitNotInstalled: git is not installed where this run executes; install it (apt-get install git) or use an image that has it");
    }
    if (!error.exited) throw error;
    const stderr = reader ? reader.rest() : error.stderr;
    throw Object.assign(new GitCloneError(stderr || error.message, stderr), { gitFailed: true });
  });
}

function authFor(options: GitCloneOptions): GitAuth {
  if (options.accessToken) return tokenAuth(options.repository, options.accessToken, options.username);
  if (options.sshKey || options.knownHosts !== undefined) return sshKeyAuth(options.sshKey, options.knownHosts);
  return noAuth();
}

export { repositoryName };

/**
 * The checkout's folder, `<workDir>/<name>`, refused when the name would leave workDir
 * (`https://host/...git` is named `..`): the folder is emptied before each checkout.
 */
export function checkoutDirectory(workDir: string, repository: string): string {
  const name = repositoryName(repository);
  const directory = join(workDir, name);
  if (name === "." || name === ".." || dirname(directory) !== join(workDir)) {
    throw new UnsafeRepositoryName(
      `UnsafeRepositoryName: the repository ${repository} is named "${name}", which is not a folder Baton can check it out into; use the repository's real URL (https://host/org/repo.git)`,
    );
  }
  return directory;
}

/**
 * Clone through a local bare mirror: the first run fetches everything, later runs fetch only
 * what is new (or nothing, for a commit already cached), and every run checks out into a
 * fresh folder, so a rerun never trips over "destination path already exists".
 */
export async function gitClone(options: GitCloneOptions): Promise<GitCloneResult> {
  const directory = checkoutDirectory(options.workDir, options.repository);
  const auth = authFor(options);
  const ref = options.commitSha ?? options.branch;
  const context = { repository: options.repository, ...(ref ? { ref } : {}), auth: auth.kind };
  const env = { ...process.env, ...options.env, ...auth.env };
  const signal = options.signal;
  const local = (args: string[]) => runGit(args, env, undefined, signal);
  // Only what talks to the remote reports progress; the local steps after it take no time worth showing.
  // Not with --quiet: it silences the receiving side ("Receiving objects") even under --progress.
  const progress = options.onProgress ? ["--progress"] : ["--quiet"];
  const git = (args: string[], cwd?: string) =>
    runGit([...auth.configArgs, ...args], env, cwd, signal, options.onProgress).catch((error: unknown) => {
      if ((error as { gitFailed?: boolean }).gitFailed) throw classifyGitFailure((error as GitCloneError).gitOutput, context);
      throw error;
    });
  try {
    // Mirrors hold every file of private repositories: only this user reads them (BATON_HOME too when this creates it).
    mkdirSync(options.cacheDir, { recursive: true, mode: 0o700 });
    const mirror = join(options.cacheDir, `${createHash("sha256").update(options.repository).digest("hex").slice(0, 20)}.git`);
    let fromCache = false;
    await withDirectoryLock(`${mirror}.lock`, async () => {
      if (!existsSync(mirror)) {
        // Under the lock, any partial mirror is a dead clone's: remove them all.
        for (const leftover of readdirSync(options.cacheDir).filter((f) => f.startsWith(`${basename(mirror)}.partial-`))) {
          rmSync(join(options.cacheDir, leftover), { recursive: true, force: true });
        }
        const partial = `${mirror}.partial-${process.pid}`;
        await git(["clone", ...progress, "--bare", "--", options.repository, partial]);
        renameSync(partial, mirror);
        return;
      }
      if (options.commitSha && (await hasCommit(mirror, options.commitSha, env))) {
        fromCache = true;
        return;
      }
      await git(["-C", mirror, "fetch", ...progress, "--prune", "--tags", "origin", "+refs/heads/*:refs/heads/*"]);
    }, signal ? { signal } : {});
    const commit = await resolveCommit(mirror, options, env);
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(options.workDir, { recursive: true });
    // `--` (or --end-of-options) before every path and ref a user gave: `directories: ["--stdin"]` is a folder, not an option.
    await local(["clone", "--quiet", "--no-checkout", "--", mirror, directory]);
    await local(["-C", directory, "remote", "set-url", "origin", "--", options.repository]);
    if (options.directories?.length) await local(["-C", directory, "sparse-checkout", "set", "--cone", "--", ...options.directories]);
    await local(["-C", directory, "checkout", "--quiet", ...(options.branch ? ["-B", options.branch, commit] : ["--detach", commit]), "--"]);
    if (options.includeSubmodules) await git(["-C", directory, "submodule", "update", ...progress, "--init", "--recursive"]);
    return { directory, commit, fromCache };
  } finally {
    auth.dispose();
  }
}

async function hasCommit(mirror: string, sha: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await runGit(["-C", mirror, "cat-file", "-e", "--end-of-options", `${sha}^{commit}`], env);
    return true;
  } catch {
    return false;
  }
}

async function resolveCommit(mirror: string, options: GitCloneOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const ref = options.commitSha ? `${options.commitSha}^{commit}` : options.branch ? `refs/heads/${options.branch}^{commit}` : "HEAD^{commit}";
  try {
    return (await runGit(["-C", mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", ref], env)).stdout;
  } catch {
    const what = options.commitSha ? `commit ${options.commitSha}` : options.branch ? `branch "${options.branch}"` : "a default branch";
    throw new GitRefNotFound(`GitRefNotFound: ${what} does not exist in ${options.repository}; check branch or commit_sha in the git_clone step`);
  }
}
