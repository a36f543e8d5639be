import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { startTerminal, tmuxUnavailableReason } from "../helpers/terminal.js";
import { tempDir } from "../helpers/tmp.js";

const installed = (shell: string) => spawnSync(shell, ["-c", "exit 0"]).status === 0;
const noFish = !installed("fish");
const noZsh = !installed("zsh") || Boolean(tmuxUnavailableReason());

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

  it("covers the newest flags: schedule create's --day-or/--no-day-or, --param, --inactive; flow-run logs --limit", () => {
    expect(complete(["deployment", "schedule", "create", "etl/nightly", "--cron", "0 9 13 * 5", "--"])).toEqual(expect.arrayContaining(["--day-or", "--no-day-or", "--param", "--params", "--inactive"]));
    expect(complete(["deployment", "schedule", "create", "etl/nightly", "--in"])).toEqual(["--interval", "--inactive"]);
    expect(complete(["flow-run", "logs", "brave-otter", "--li"])).toEqual(["--limit"]);
  });

  it.skipIf(noFish)("fish: the script sourced in a real fish completes commands, skips flag values, and offers the new flags", async () => {
    const result = await runBaton(["completion", "fish"]);
    const fishScript = join(dir.path, "baton.fish");
    writeFileSync(fishScript, result.stdout);
    // `complete -C` asks fish's own completion engine what it would offer for this command line.
    const offered = (line: string): string[] => {
      const run = spawnSync("fish", ["--no-config", "-c", `source '${fishScript}'; complete -C '${line}'`], { encoding: "utf8" });
      expect(run.stderr, line).toBe("");
      return run.stdout.split("\n").filter(Boolean);
    };
    expect(offered("baton work-q")).toEqual(["work-queue"]);
    expect(offered("baton ")).toEqual(expect.arrayContaining(["deployment", "flow-run", "completion", "--profile"]));
    expect(offered("baton work-queue preview default --pool prod --h").sort()).toEqual(["--help", "--hours"]);
    expect(offered("baton deployment schedule create etl/nightly --no-")).toEqual(["--no-day-or"]);
    expect(offered("baton flow-run logs brave-otter --li")).toEqual(["--limit"]);
  }, 120_000);

  it.skipIf(noZsh)("zsh: the script sourced in a real interactive zsh completes on Tab", async () => {
    const result = await runBaton(["completion", "zsh"]);
    const zshScript = join(dir.path, "baton.zsh");
    writeFileSync(zshScript, result.stdout);
    const terminal = startTerminal(["zsh", "-f"], { HOME: dir.path, TERM: "xterm" });
    try {
      terminal.keys(`PS1='> '; autoload -U compinit && compinit -u && source '${zshScript}' && echo sourced`, "Enter");
      await terminal.waitForScreen(/^sourced$/m, "the script to be sourced");
      terminal.keys("baton deployment sch", "Tab");
      // (tmux drops the space completion adds at the end of a line.)
      await terminal.waitForScreen(/> baton deployment schedule$/m, "the group completed");
      terminal.keys("create etl/nightly --no-d", "Tab");
      await terminal.waitForScreen(/> baton deployment schedule create etl\/nightly --no-day-or$/m, "the new flag completed");
    } finally {
      terminal.stop();
    }
  }, 120_000);

  it("zsh and fish get a script too; another shell is a usage error naming the ones there are", async () => {
    expect((await runBaton(["completion", "zsh"])).stdout).toContain("bashcompinit");
    expect((await runBaton(["completion", "fish"])).stdout).toContain("complete -c baton");
    const other = await runBaton(["completion", "tcsh"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('"tcsh" is not a shell baton completes; use one of bash, zsh, fish');
  }, 120_000);
});
