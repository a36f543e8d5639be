// The ETL example (examples/etl) as a git repository of its own with a local "origin" it is
// pushed to: what `baton deploy` clones from. Shared by the quick start and the screenshot script.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const example = fileURLToPath(new URL("../examples/etl", import.meta.url));

/** `{ dir, work, origin }`: `work` is the checkout to deploy from; remove `dir` when done. */
export function makeRepository(prefix = "baton-quickstart-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const work = join(dir, "etl");
  const origin = join(dir, "etl-origin.git");
  cpSync(example, work, { recursive: true, filter: (src) => !src.includes("node_modules") });
  const git = (cwd, ...args) =>
    execFileSync("git", ["-c", "user.name=Baton Quick Start", "-c", "user.email=quickstart@baton.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "pipe" });
  git(work, "init", "-q");
  git(work, "add", "-A");
  git(work, "commit", "-q", "-m", "The ETL example");
  git(dir, "clone", "-q", "--bare", work, origin);
  git(work, "remote", "add", "origin", origin);
  git(work, "fetch", "-q", "origin");
  git(work, "branch", "-q", "--set-upstream-to=origin/main", "main");
  return { dir, work, origin };
}
