import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { git, makeRepo } from "../../../../test/helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../../../../test/helpers/http-git-server.js";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { GitRedirectRefused, GitTokenRefused, UnsafeRepositoryName, gitClone } from "./index.js";

/**
 * A git token goes to the host the step names and nowhere else: not to a submodule's host, not
 * to the host a redirect points at. The second host records everything it is sent.
 */
const work = tempDir("baton-git-isolation-");
const TOKEN = "glpat-main-host-token-0123456789";
let main: HttpGitServer;
let other: HttpGitServer;
let publicOther: HttpGitServer;
let mover: HttpGitServer;

/** A repository whose submodule `lib` lives on another server. */
function repoWithSubmodule(dir: string, submoduleUrl: string, submoduleCommit: string): void {
  makeRepo(dir, { "flows/etl.ts": "export {};\n" });
  writeFileSync(join(dir, ".gitmodules"), `[submodule "lib"]\n\tpath = lib\n\turl = ${submoduleUrl}\n`);
  git(dir, "update-index", "--add", "--cacheinfo", `160000,${submoduleCommit},lib`);
  git(dir, "add", ".gitmodules");
  git(dir, "commit", "-q", "-m", "add lib as a submodule");
}

beforeAll(async () => {
  [main, other, publicOther] = await Promise.all([startHttpGitServer({ token: TOKEN }), startHttpGitServer({ token: "the-other-hosts-own-token" }), startHttpGitServer({})]);
  mover = await startHttpGitServer({ redirectTo: other.url("x").replace(/\/x\.git$/, "") });
  const lib = join(work.path, "lib");
  const libCommit = makeRepo(lib, { "lib.ts": "export const lib = 1;\n" });
  other.addRepo("lib", lib);
  publicOther.addRepo("lib", lib);
  repoWithSubmodule(join(work.path, "private-sub"), other.url("lib"), libCommit);
  repoWithSubmodule(join(work.path, "public-sub"), publicOther.url("lib"), libCommit);
  main.addRepo("private-sub", join(work.path, "private-sub"));
  main.addRepo("public-sub", join(work.path, "public-sub"));
  other.addRepo("project", join(work.path, "public-sub"));
});

afterAll(async () => {
  await Promise.all([main?.stop(), other?.stop(), publicOther?.stop(), mover?.stop()]);
  work.remove();
});

const dirs = () => {
  const d = tempDir("baton-run-");
  return { workDir: join(d.path, "work"), cacheDir: join(d.path, "cache"), remove: d.remove };
};
const sentToken = (server: HttpGitServer) => server.requests.some((r) => r.authorization !== undefined && Buffer.from(r.authorization.replace(/^Basic /, ""), "base64").toString().includes(TOKEN));

describe("a git token goes only to its own host", () => {
  test("a submodule on another host that asks for credentials gets none: the clone fails there, and that host never saw the token", async () => {
    const d = dirs();
    const error = await gitClone({ repository: main.url("private-sub"), accessToken: TOKEN, includeSubmodules: true, ...d }).catch((e) => e);
    expect(error).toBeInstanceOf(GitTokenRefused);
    expect(main.usernames.length).toBeGreaterThan(0); // the main host got its token
    expect(other.requests.some((r) => r.path.startsWith("/lib.git"))).toBe(true); // git did go there
    expect(sentToken(other)).toBe(false);
    expect(other.requests.every((r) => r.authorization === undefined)).toBe(true);
    d.remove();
  });

  test("variant: a public submodule host is cloned from without any Authorization header", async () => {
    const d = dirs();
    const r = await gitClone({ repository: main.url("public-sub"), accessToken: TOKEN, includeSubmodules: true, ...d });
    expect(readFileSync(join(r.directory, "lib/lib.ts"), "utf8")).toContain("lib = 1");
    expect(publicOther.requests.length).toBeGreaterThan(0);
    expect(publicOther.requests.every((req) => req.authorization === undefined)).toBe(true);
    d.remove();
  });

  test("a redirect to another host is refused, and that host is never contacted", async () => {
    const d = dirs();
    const before = other.requests.length;
    const error = await gitClone({ repository: mover.url("project"), accessToken: TOKEN, ...d }).catch((e) => e);
    expect(error).toBeInstanceOf(GitRedirectRefused);
    expect(error.message).toMatch(/redirect/);
    expect(error.message).not.toContain(TOKEN);
    expect(other.requests.length).toBe(before);
    d.remove();
  });
});

describe("repositories named . or ..", () => {
  test("are refused before any clone, and the work directory's parent is left alone", async () => {
    const d = dirs();
    mkdirSync(d.workDir, { recursive: true });
    const sibling = join(d.workDir, "..", "keep.txt");
    writeFileSync(sibling, "still here");
    const before = main.requests.length;
    for (const name of ["..", "."]) {
      const error = await gitClone({ repository: `${main.url("x").replace(/x\.git$/, "")}${name}.git`, accessToken: TOKEN, ...d }).catch((e) => e);
      expect(error).toBeInstanceOf(UnsafeRepositoryName);
    }
    expect(main.requests.length).toBe(before);
    expect(existsSync(sibling)).toBe(true);
    d.remove();
  });
});
