import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { commitFiles, makeRepo } from "../../../../test/helpers/git-repo.js";
import { startHttpGitServer, type HttpGitServer } from "../../../../test/helpers/http-git-server.js";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { GitTokenRefused, gitClone, parseGitProgress, type GitProgress } from "./index.js";

const TOKEN = "glpat-progress-token-1234567890";
const work = tempDir("baton-clone-progress-");
let http: HttpGitServer;
let source: string;

beforeAll(async () => {
  source = join(work.path, "source");
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`data/file-${i}.txt`] = `${i} `.repeat(2000);
  makeRepo(source, files);
  http = await startHttpGitServer({ token: TOKEN });
  http.addRepo("project", source);
});
afterAll(async () => {
  await http?.stop();
  work.remove();
});

const folders = (name: string) => ({ workDir: join(work.path, name, "work"), cacheDir: join(work.path, name, "cache") });

test("git's own lines, counted or not, are progress; an error or warning is not", () => {
  expect(parseGitProgress("Receiving objects:  45% (18/40), 12.00 KiB | 1 MiB/s")).toEqual({ phase: "Receiving objects", percent: 45, done: 18, total: 40 });
  expect(parseGitProgress("remote: Counting objects: 100% (43/43), done.")).toEqual({ phase: "Counting objects", percent: 100, done: 43, total: 43 });
  expect(parseGitProgress("remote: Enumerating objects: 43, done.")).toEqual({ phase: "Enumerating objects", done: 43 });
  expect(parseGitProgress("fatal: Authentication failed for 'http://127.0.0.1/project.git/'")).toBeUndefined();
  expect(parseGitProgress("remote: \u001b[31mEvil\u001b[0m: 50% (1/2)")).toBeUndefined();
});

test("a clone over HTTP reports git's phases up to 100%, then the fetch of a new commit into the mirror reports too", async () => {
  const seen: GitProgress[] = [];
  const where = folders("first");
  const result = await gitClone({ repository: http.url("project"), accessToken: TOKEN, ...where, onProgress: (p) => seen.push(p) });
  expect(result.fromCache).toBe(false);
  const received = seen.filter((p) => p.phase === "Receiving objects");
  expect(received.length).toBeGreaterThan(0);
  expect(received.at(-1)).toMatchObject({ percent: 100, total: received.at(-1)!.done });
  expect(seen.map((p) => p.phase)).toContain("Counting objects");

  commitFiles(source, { "data/new.txt": "new\n" }, "one more");
  http.pushRepo("project", source);
  const later: GitProgress[] = [];
  await gitClone({ repository: http.url("project"), accessToken: TOKEN, ...where, onProgress: (p) => later.push(p) });
  expect(later.map((p) => p.phase)).toContain("Counting objects");
});

test("while progress is read, a refused token is still told apart by what git said, quoted without progress lines", async () => {
  const error = await gitClone({ repository: http.url("project"), accessToken: "wrong-token-value", ...folders("refused"), onProgress: () => undefined }).catch((e) => e);
  expect(error).toBeInstanceOf(GitTokenRefused);
  expect(error.message).toContain("git said:");
  expect(error.message).not.toMatch(/objects:|\r/);
});
