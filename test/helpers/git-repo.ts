import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const IDENTITY = ["-c", "user.name=Baton Tests", "-c", "user.email=tests@baton.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", [...IDENTITY, ...args], { cwd, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }).trim();
}

/** A working repository with these files committed on `main`; returns its HEAD commit. */
export function makeRepo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q");
  return commitFiles(dir, files, "initial commit");
}

export function commitFiles(dir: string, files: Record<string, string>, message: string): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

/** A bare copy of a working repository, as a server would hold it. */
export function bareCopy(workRepo: string, bareDir: string): void {
  mkdirSync(dirname(bareDir), { recursive: true });
  execFileSync("git", ["clone", "-q", "--bare", workRepo, bareDir]);
}
