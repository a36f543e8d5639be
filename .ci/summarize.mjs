// Adds up the Vitest JSON reports of each Node version and prints the closing line CI reads.
// A missing report (the run died before writing it) counts as one failure: it must not look green.
import { readFileSync } from "node:fs";

let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    console.log(`${file}: no report (the test run did not finish)`);
    failed += 1;
    continue;
  }
  const suiteFailures = report.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped` +
    (suiteFailures ? `, ${suiteFailures} test files failed to load` : ""));
  passed += report.numPassedTests;
  failed += report.numFailedTests + suiteFailures;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
