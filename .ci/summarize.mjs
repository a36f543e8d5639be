// Adds up the Vitest JSON reports of each Node version and prints the closing line CI reads.
// A missing report (the run died before writing it) counts as one failure: it must not look green.
// A file whose setup failed (a beforeAll/afterAll threw, or the file did not load) is FAILED, never
// "skipped": with .ci/vitest-json-reporter.mjs each test it kept from running counts as failed;
// with Vitest's plain JSON (no `setupErrors`), a failed file with no failed test counts as one.
// What failed, and why, is printed before the closing line.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const MAX_LISTED = 60;
const firstLines = (text, n = 3) => String(text ?? "").trim().split("\n").slice(0, n).join("\n      ");

/** Counts and failures of one Vitest JSON report. */
export function summarizeReport(report) {
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for (const file of report.testResults) {
    const tests = file.assertionResults ?? [];
    const notRun = tests.filter((a) => a.notRun).length;
    for (const a of tests) {
      if (a.status === "passed") passed += 1;
      else if (a.status === "failed") {
        failed += 1;
        failures.push(`FAILED ${file.name} > ${a.fullName}\n      ${firstLines(a.failureMessages?.[0])}`);
      } else if (!a.notRun) skipped += 1;
    }
    const setupErrors = file.setupErrors ??
      (file.status === "failed" && !tests.some((a) => a.status === "failed") ? [{ suite: "(file)", message: file.message || "the file failed outside its tests (a beforeAll/afterAll hook, or it did not load); its error is in the log above" }] : []);
    if (setupErrors.length > 0) {
      // Tests it kept from running are the failures; a hook that failed after its tests, or a file with none, is one.
      failed += notRun > 0 ? notRun : 1;
      for (const e of setupErrors) failures.push(`FAILED ${file.name} > ${e.suite} (setup${notRun ? `; ${notRun} test${notRun === 1 ? "" : "s"} did not run` : ""})\n      ${firstLines(e.message)}`);
    }
  }
  return { passed, failed, skipped, failures };
}

export function summarize(files, print = console.log) {
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for (const file of files) {
    let report;
    try {
      report = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      print(`${file}: no report (the test run did not finish)`);
      failed += 1;
      continue;
    }
    const r = summarizeReport(report);
    print(`${file}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    failures.push(...r.failures.map((f) => `[${file}] ${f}`));
  }
  for (const f of failures.slice(0, MAX_LISTED)) print(f);
  if (failures.length > MAX_LISTED) print(`... and ${failures.length - MAX_LISTED} more failures`);
  print(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(summarize(process.argv.slice(2)) > 0 ? 1 : 0);
