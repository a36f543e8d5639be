import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/** `baton completion bash`, sourced in a real bash: what it offers after the words typed so far. */
describe("baton completion", () => {
  let dir: { path: string; remove(): void };
  let script: string;
  beforeAll(async () => {
    dir = tempDir("baton-completion-");
    const result = await runBaton(["completion", "bash"]);
    expect(result.code, result.stderr).toBe(0);
    script = join(dir.path, "baton.bash");
    writeFileSync(script, result.stdout);
  }, 120_000);
  afterAll(() => dir?.remove());

  const complete = (words: string[]): string[] => {
    const array = words.map((w) => `'${w}'`).join(" ");
    const run = spawnSync("bash", ["-c", `source '${script}'; COMP_WORDS=(baton ${array}); COMP_CWORD=${words.length}; _baton; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.split("\n").filter(Boolean);
  };

  it("offers commands, subcommands and flags from the command tree", () => {
    expect(complete(["work-q"])).toEqual(["work-queue"]);
    expect(complete(["work-queue", ""])).toEqual(expect.arrayContaining(["create", "inspect", "preview", "clear-concurrency-limit", "--help"]));
    expect(complete(["work-queue", "preview", "default", "--pool", "prod", "--h"])).toEqual(["--hours", "--help"]);
    expect(complete(["deployment", "run", "etl", "--start-"])).toEqual(["--start-in", "--start-at"]);
    expect(complete(["server", "database", ""])).toEqual(expect.arrayContaining(["upgrade", "reset"]));
  });

  it("zsh and fish get a script too; another shell is a usage error naming the ones there are", async () => {
    expect((await runBaton(["completion", "zsh"])).stdout).toContain("bashcompinit");
    expect((await runBaton(["completion", "fish"])).stdout).toContain("complete -c baton");
    const other = await runBaton(["completion", "tcsh"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('"tcsh" is not a shell baton completes; use one of bash, zsh, fish');
  }, 120_000);
});
