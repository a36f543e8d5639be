// Vitest's JSON report, plus what it leaves out: the error of a failed beforeAll/afterAll (of the
// file or of a describe block) and which tests never ran because of it. Vitest's own report marks
// those tests "skipped" with no message, so a file whose setup threw looked like a skip
// (issue 19). Each file gains `setupErrors` ([{ suite, message }]) and each such test `notRun: true`.
import { JsonReporter } from "vitest/node";

/** The tests of a task tree, in the order Vitest's JSON report lists them (its getTests). */
function testsOf(task) {
  if (task.type === "test") return [task];
  return (task.tasks ?? []).flatMap(testsOf);
}

const failedWithErrors = (task) => task.result?.state === "fail" && (task.result.errors?.length ?? 0) > 0;

/** Errors of the file or its suites (hooks, the file's own code), and the tests they kept from running. */
function setupFailures(file) {
  const errors = [];
  const notRun = new Set();
  const walk = (task, path, failedAbove) => {
    if (task.type === "test") {
      // A failed suite above it stopped it (Vitest then marks it mode "skip" too, so an explicit
      // .skip inside a broken block counts as not run as well; .todo does not).
      if (failedAbove && task.mode !== "todo" && (!task.result || task.result.state === "skip")) notRun.add(task);
      return;
    }
    const failedHere = failedWithErrors(task);
    if (failedHere) for (const e of task.result.errors) errors.push({ suite: path.join(" > ") || "(file)", message: e.stack || e.message || String(e) });
    for (const child of task.tasks ?? []) walk(child, child.type === "test" ? path : [...path, child.name], failedAbove || failedHere);
  };
  walk(file, [], false);
  return { errors, notRun };
}

export default class JsonReporterWithSetupErrors extends JsonReporter {
  constructor(options) {
    super(options ?? {});
  }

  async onTestRunEnd(testModules, ...rest) {
    this.files = testModules.map((m) => m.task);
    return super.onTestRunEnd(testModules, ...rest);
  }

  async writeReport(text) {
    const report = JSON.parse(text);
    const byPath = new Map((this.files ?? []).map((f) => [f.filepath, f]));
    for (const result of report.testResults) {
      const file = byPath.get(result.name);
      if (!file) continue;
      const { errors, notRun } = setupFailures(file);
      result.setupErrors = errors;
      testsOf(file).forEach((test, i) => {
        if (notRun.has(test) && result.assertionResults[i]) result.assertionResults[i].notRun = true;
      });
    }
    return super.writeReport(JSON.stringify(report));
  }
}
