import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { findRunBundle } from "./run-bundle.js";

const FILES = ["run.js", "cli.js", "spare-entry.js", "reuse-entry.js", "baton.js"];
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A bundle folder built at `builtAt` (seconds) from one input, `src/input.js`, written at `inputAt`. */
function bundleFolder(files: string[], builtAt: number, inputAt: number): { dir: string; input: string } {
  const root = mkdtempSync(join(tmpdir(), "baton-run-bundle-"));
  folders.push(root);
  const dir = join(root, "dist", "run-bundle");
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(root, "src"));
  const input = join(root, "src", "input.js");
  writeFileSync(input, "export {};\n");
  utimesSync(input, inputAt, inputAt);
  for (const file of files) writeFileSync(join(dir, file), "export {};\n");
  writeFileSync(join(dir, "inputs.json"), JSON.stringify(["../../src/input.js", "../../src/gone.js"]));
  utimesSync(join(dir, "inputs.json"), builtAt, builtAt);
  return { dir, input };
}

test("a complete bundle built after its inputs is used (an input of another layout, not found, is no change)", () => {
  const { dir } = bundleFolder(FILES, 2_000_000, 1_000_000);
  expect(findRunBundle(dir)).toEqual({
    run: join(dir, "run.js"),
    cli: join(dir, "cli.js"),
    spareEntry: join(dir, "spare-entry.js"),
    reuseEntry: join(dir, "reuse-entry.js"),
    sdk: join(dir, "baton.js"),
  });
});

test("no bundle, part of one, or one older than a file it was built from: runs start from the packages", () => {
  expect(findRunBundle(join(tmpdir(), "baton-no-such-bundle"))).toBeNull();
  expect(findRunBundle(bundleFolder(FILES.slice(1), 2_000_000, 1_000_000).dir)).toBeNull();
  // `tsc -b` rewrote a file after the bundle was built.
  expect(findRunBundle(bundleFolder(FILES, 1_000_000, 2_000_000).dir)).toBeNull();
  const unlisted = bundleFolder(FILES, 2_000_000, 1_000_000).dir;
  rmSync(join(unlisted, "inputs.json"));
  expect(findRunBundle(unlisted)).toBeNull();
});
