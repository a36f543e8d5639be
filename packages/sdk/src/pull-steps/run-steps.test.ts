import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { makeRepo } from "../../../../test/helpers/git-repo.js";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { PullStepFailed, UnresolvedReference, runPullSteps } from "./index.js";

const dir = tempDir("baton-steps-");
afterAll(() => dir.remove());
const repo = join(dir.path, "origin");
makeRepo(repo, { "flows/etl.ts": "export {}\n", "sub/marker.txt": "here\n" });

const context = (secrets: Record<string, string> = {}) => ({
  workDir: join(dir.path, "work"),
  cacheDir: join(dir.path, "cache"),
  env: { ...process.env, GREETING: "hello" },
  resolveSecret: async (name: string) => {
    if (!(name in secrets)) throw new Error(`no secret ${name}`);
    return secrets[name]!;
  },
  resolveVariable: async () => "unused",
});

test("steps run in order, pass outputs along, and resolve secrets and $ENV only here", async () => {
  const result = await runPullSteps(
    [
      { git_clone: { id: "clone", repository: repo, branch: "main" } },
      { run_shell_script: { id: "say", script: 'printf "%s %s" "$TOKEN" "$G" > out.txt; cat out.txt', env: { TOKEN: "{{ baton.secrets.api-token }}", G: "{{ $GREETING }}" }, stream_output: false } },
      { set_working_directory: { directory: "{{ clone.directory }}/sub" } },
    ],
    context({ "api-token": "s3cret-value" }),
  );
  expect(result.directory).toBe(join(dir.path, "work", "origin", "sub"));
  expect(result.outputs.say!.stdout).toBe("s3cret-value hello");
  expect(result.secretValues).toEqual(["s3cret-value"]);
  expect(existsSync(join(result.directory, "marker.txt"))).toBe(true);
  expect(readFileSync(join(dir.path, "work", "origin", "out.txt"), "utf8")).toBe("s3cret-value hello");
});

test("a reference to an unknown step output or unset variable names it", async () => {
  await expect(runPullSteps([{ set_working_directory: { directory: "{{ clone.directory }}" } }], context())).rejects.toThrow(UnresolvedReference);
  await expect(runPullSteps([{ set_working_directory: { directory: "{{ $NOPE_NOT_SET }}" } }], context())).rejects.toThrow(/NOPE_NOT_SET is not set/);
});

test("a failing script fails the step with its last lines", async () => {
  const error = await runPullSteps([{ run_shell_script: { script: "echo about to fail; exit 4", stream_output: false } }], context()).catch((e) => e);
  expect(error).toBeInstanceOf(PullStepFailed);
  expect(error.message).toMatch(/exited with code 4[\s\S]*about to fail/);
});
