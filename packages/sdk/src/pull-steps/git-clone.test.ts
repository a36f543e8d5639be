import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { commitFiles, makeRepo } from "../../../../test/helpers/git-repo.js";
import { startSshGitServer, type SshGitServer } from "../../../../test/helpers/ssh-git-server.js";
import { startHttpGitServer, type HttpGitServer } from "../../../../test/helpers/http-git-server.js";
import { tempDir } from "../../../../test/helpers/tmp.js";
import {
  GitHostKeyChanged,
  GitHostKeyUnknown,
  GitKeyRefused,
  GitRefNotFound,
  GitRepositoryNotFound,
  GitTokenRefused,
  gitClone,
} from "./index.js";

const work = tempDir("baton-clone-");
let source: string;
let firstCommit: string;
let secondCommit: string;
let ssh: SshGitServer;
let http: HttpGitServer;
let httpsServer: HttpGitServer;
const TOKEN = "glpat-test-token-1234567890";

beforeAll(async () => {
  source = join(work.path, "source");
  firstCommit = makeRepo(source, { "flows/etl.ts": "export const v = 1;\n", "docs/readme.md": "docs\n" });
  secondCommit = commitFiles(source, { "flows/etl.ts": "export const v = 2;\n" }, "second");
  [ssh, http, httpsServer] = await Promise.all([
    startSshGitServer(),
    startHttpGitServer({ token: TOKEN }),
    startHttpGitServer({ token: TOKEN, tls: true }),
  ]);
  ssh.addRepo("project", source);
  http.addRepo("project", source);
  httpsServer.addRepo("project", source);
});

afterAll(async () => {
  await Promise.all([ssh?.stop(), http?.stop(), httpsServer?.stop()]);
  work.remove();
});

const dirs = () => {
  const d = tempDir("baton-run-");
  return { workDir: join(d.path, "work"), cacheDir: join(d.path, "cache"), remove: d.remove };
};

describe("git_clone over SSH with a deploy key and strict host keys", () => {
  test("clones the branch, then reuses the cache for a commit it has", async () => {
    const d = dirs();
    const first = await gitClone({ repository: ssh.url("project"), branch: "main", sshKey: ssh.deployKey, knownHosts: ssh.knownHosts, ...d });
    expect(first.commit).toBe(secondCommit);
    expect(readFileSync(join(first.directory, "flows/etl.ts"), "utf8")).toContain("v = 2");
    const again = await gitClone({ repository: ssh.url("project"), commitSha: firstCommit, sshKey: ssh.deployKey, knownHosts: ssh.knownHosts, ...d });
    expect(again).toMatchObject({ commit: firstCommit, fromCache: true, directory: first.directory });
    expect(readFileSync(join(again.directory, "flows/etl.ts"), "utf8")).toContain("v = 1");
    // The key was a temporary file; nothing of it is left in the checkout or the cache.
    expect(existsSync(join(again.directory, "key"))).toBe(false);
    d.remove();
  });

  test("an unknown host key is refused with the fix", async () => {
    const d = dirs();
    const error = await gitClone({ repository: ssh.url("project"), sshKey: ssh.deployKey, knownHosts: "", ...d }).catch((e) => e);
    expect(error).toBeInstanceOf(GitHostKeyUnknown);
    expect(error.message).toMatch(/not in known_hosts.*ssh-keyscan/s);
    d.remove();
  });

  test("a changed host key is refused and called out", async () => {
    const d = dirs();
    const error = await gitClone({ repository: ssh.url("project"), sshKey: ssh.deployKey, knownHosts: ssh.wrongKnownHosts, ...d }).catch((e) => e);
    expect(error).toBeInstanceOf(GitHostKeyChanged);
    d.remove();
  });

  test("a key the server does not know is refused", async () => {
    const d = dirs();
    const error = await gitClone({ repository: ssh.url("project"), sshKey: ssh.otherKey, knownHosts: ssh.knownHosts, ...d }).catch((e) => e);
    expect(error).toBeInstanceOf(GitKeyRefused);
    expect(error.message).toMatch(/deploy key/);
    d.remove();
  });

  test("a missing branch and a missing repository are named", async () => {
    const d = dirs();
    const noBranch = await gitClone({ repository: ssh.url("project"), branch: "nope", sshKey: ssh.deployKey, knownHosts: ssh.knownHosts, ...d }).catch((e) => e);
    expect(noBranch).toBeInstanceOf(GitRefNotFound);
    expect(noBranch.message).toMatch(/branch "nope"/);
    const noRepo = await gitClone({ repository: ssh.url("missing"), sshKey: ssh.deployKey, knownHosts: ssh.knownHosts, ...d }).catch((e) => e);
    expect(noRepo).toBeInstanceOf(GitRepositoryNotFound);
    d.remove();
  });

  test("sparse checkout takes only the folders asked for", async () => {
    const d = dirs();
    const r = await gitClone({ repository: ssh.url("project"), directories: ["flows"], sshKey: ssh.deployKey, knownHosts: ssh.knownHosts, ...d });
    expect(existsSync(join(r.directory, "flows/etl.ts"))).toBe(true);
    expect(existsSync(join(r.directory, "docs/readme.md"))).toBe(false);
    d.remove();
  });
});

describe("git_clone over HTTP(S) with a token", () => {
  test("HTTP: the token goes through a credential helper with the host's username, never into the URL or the clone", async () => {
    const d = dirs();
    const r = await gitClone({ repository: http.url("project"), accessToken: TOKEN, ...d });
    expect(r.commit).toBe(secondCommit);
    expect(http.usernames).toContain("oauth2");
    const config = readFileSync(join(r.directory, ".git/config"), "utf8");
    expect(config).not.toContain(TOKEN);
    d.remove();
  });

  test("HTTPS with a private CA", async () => {
    const d = dirs();
    const r = await gitClone({ repository: httpsServer.url("project"), accessToken: TOKEN, username: "deploy-bot", env: { GIT_SSL_CAINFO: httpsServer.caFile! }, ...d });
    expect(r.commit).toBe(secondCommit);
    expect(httpsServer.usernames).toContain("deploy-bot");
    d.remove();
  });

  test("a wrong token is refused with the fix, and the token is not in the message", async () => {
    const d = dirs();
    const error = await gitClone({ repository: http.url("project"), accessToken: "wrong-token-abc", ...d }).catch((e) => e);
    expect(error).toBeInstanceOf(GitTokenRefused);
    expect(error.message).toMatch(/refused the access token/);
    expect(error.message).not.toContain("wrong-token-abc");
    d.remove();
  });
});
