import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BATON_BIN, cleanEnv } from "../helpers/cli.js";

/**
 * `baton --version` and `--help` must start fast (issue 14: every run's process pays the start):
 * the command tree is names, descriptions and options only, and a command's code (zod schemas,
 * the API client, the settings) loads when that command runs. Asserted on what was loaded, not
 * on a time: a module hook lists every file Node loads.
 */
// The loader hooks run on their own thread: a line written there with process.stderr.write can be
// lost when `--help` exits the process at once, so they write to fd 2 synchronously.
const hooksDir = mkdtempSync(join(tmpdir(), "baton-startup-hooks-"));
writeFileSync(
  join(hooksDir, "hooks.mjs"),
  `import { writeSync } from "node:fs";\nexport async function load(url, context, next) { if (url.startsWith("file:")) writeSync(2, "LOADED " + url + "\\n"); return next(url, context); }\n`,
);
writeFileSync(join(hooksDir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(hooksDir, "hooks.mjs")).href)});\n`);
const HOOK = pathToFileURL(join(hooksDir, "register.mjs")).href;

function loadedFiles(args: string[]): { code: number | null; stdout: string; files: string[] } {
  const result = spawnSync(process.execPath, ["--import", HOOK, BATON_BIN, ...args], { env: cleanEnv({ BATON_HOME: mkdtempSync(join(tmpdir(), "baton-startup-")) }), encoding: "utf8" });
  const files = result.stderr.split("\n").filter((l) => l.startsWith("LOADED ")).map((l) => l.slice("LOADED ".length));
  return { code: result.status, stdout: result.stdout, files };
}

const HEAVY = [/\/zod\//, /\/packages\/core\/dist\/index\.js$/, /\/packages\/(sdk|server|worker)\//, /\/packages\/cli\/dist\/actions\//, /\/yaml\//];

describe("baton start-up", () => {
  for (const args of [["--version"], ["--help"], ["work-queue", "--help"], ["deployment", "run", "--help"]]) {
    it(`baton ${args.join(" ")} loads commander and the command tree only`, () => {
      const { code, stdout, files } = loadedFiles(args);
      expect(code).toBe(0);
      expect(stdout).not.toBe("");
      expect(files.some((f) => f.includes("/commander/"))).toBe(true);
      expect(files.filter((f) => HEAVY.some((re) => re.test(f)))).toEqual([]);
    });
  }

  it("a command still loads its code when it runs", () => {
    const { code, stdout, files } = loadedFiles(["profile", "ls", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ active: expect.any(String) });
    expect(files.some((f) => f.endsWith("/packages/cli/dist/actions/profile.js"))).toBe(true);
  });
});
