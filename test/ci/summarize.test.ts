import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { tempDir } from "../helpers/tmp.js";

/**
 * CI's closing line (`.ci/summarize.mjs`) must count every failure: a test file whose setup threw
 * is FAILED with its error on the closing lines, never "skipped" (issue 19 B1), and under CI=true a
 * missing component fails the tests that need it (B2). The samples in test/fixtures/ci-report are
 * real Vitest test files; the stored report is Vitest's own JSON of them.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLES = join(ROOT, "test/fixtures/ci-report");
const SUMMARIZE = join(ROOT, ".ci/summarize.mjs");
const REPORTER = join(ROOT, ".ci/vitest-json-reporter.mjs");
const VITEST = join(ROOT, "node_modules/vitest/vitest.mjs");
const CLOSING = /^(\d+) passed, (\d+) failed, (\d+) skipped$/;

function summarize(...reports: string[]) {
  const run = spawnSync(process.execPath, [SUMMARIZE, ...reports], { encoding: "utf8" });
  const lines = run.stdout.trim().split("\n");
  const [, passed, failed, skipped] = CLOSING.exec(lines.at(-1) ?? "") ?? [];
  return { code: run.status, output: run.stdout + run.stderr, counts: { passed: Number(passed), failed: Number(failed), skipped: Number(skipped) } };
}

const out = tempDir("baton-ci-report-");
afterAll(() => out.remove());

/** Vitest on the samples with CI's reporters, as `.ci/run` runs the suite. */
function runSamples(name: string, filter: string[], env: { CI?: string }) {
  const report = join(out.path, `${name}.json`);
  const { CI: _ci, ...rest } = process.env;
  const run = spawnSync(process.execPath, [VITEST, "run", "--config", join(SAMPLES, "vitest.config.ts"), "--reporter=default", `--reporter=${REPORTER}`, `--outputFile.json=${report}`, ...filter], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...rest, ...env },
  });
  return { report, code: run.status, output: run.stdout + run.stderr };
}

describe("the CI summary", () => {
  test("Vitest's plain JSON: a file whose beforeAll threw is failed, not skipped, and named on the closing lines", () => {
    const { code, output, counts } = summarize(join(SAMPLES, "plain-vitest-report.json"));
    // fine: 1 failed; import-fails, setup-throws (a describe's beforeAll), top-hook (the file's): 1 each.
    expect(counts, output).toEqual({ passed: 2, failed: 4, skipped: 6 });
    expect(code).toBe(1);
    expect(output).toMatch(/FAILED samples\/setup-throws\.sample\.ts > \(file\) \(setup\)\n\s+the file failed outside its tests/);
    expect(output).toMatch(/FAILED samples\/top-hook\.sample\.ts > \(file\) \(setup\)\n\s+top-level setup failed/);
    expect(output).toMatch(/FAILED samples\/import-fails\.sample\.ts > \(file\) \(setup\)\n\s+this file cannot load/);
    expect(output).toMatch(/FAILED samples\/fine\.sample\.ts > fails\n\s+AssertionError: one is not two/);
  });

  test("CI's reporter: each test a failed setup kept from running is failed, with the hook's own error", () => {
    const run = runSamples("all", [], {});
    expect(run.code, run.output).toBe(1);
    const { code, output, counts } = summarize(run.report);
    // Skipped: only the explicit test.skip and the frobnicator block (skipped here: CI is not set).
    expect(counts, output).toEqual({ passed: 2, failed: 5, skipped: 3 });
    expect(code).toBe(1);
    expect(output).toMatch(/FAILED \S+setup-throws\.sample\.ts > needs a server \(setup; 2 tests did not run\)\n\s+Error: could not start the server: EADDRINUSE/);
    expect(output).toMatch(/FAILED \S+top-hook\.sample\.ts > \(file\) \(setup; 1 test did not run\)\n\s+Error: top-level setup failed/);
    expect(output).toMatch(/FAILED \S+import-fails\.sample\.ts > \(file\) \(setup\)\n\s+Error: this file cannot load/);
  });

  test("a report that is missing counts as a failure", () => {
    const { code, counts, output } = summarize(join(out.path, "never-written.json"));
    expect(counts).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(output).toContain("no report (the test run did not finish)");
    expect(code).toBe(1);
  });
});

describe("a test that needs a missing component (describeNeeding)", () => {
  test("under CI=true its tests fail with the reason, and the block's own setup never runs", () => {
    const run = runSamples("ci", ["component-gate"], { CI: "true" });
    expect(run.code, run.output).toBe(1);
    expect(run.output).not.toContain("the block's own setup ran");
    const { counts, output } = summarize(run.report);
    expect(counts, output).toEqual({ passed: 0, failed: 2, skipped: 0 });
    expect(output).toMatch(/needs a frobnicator \(setup; 2 tests did not run\)\n\s+ComponentMissing: A frobnicator is missing, and CI runs every test: frobnicator is not installed \(apt-get install frobnicator\)/);
  });

  test("elsewhere its tests are skipped, and it says why on stderr, loudly", () => {
    const run = runSamples("local", ["component-gate"], {});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SKIPPED "needs a frobnicator": A frobnicator is missing here: frobnicator is not installed (apt-get install frobnicator). Under CI=true these tests fail instead.');
    expect(summarize(run.report).counts).toEqual({ passed: 0, failed: 0, skipped: 2 });
  });
});
