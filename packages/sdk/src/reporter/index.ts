export { Reporter, type ReporterOptions } from "./reporter.js";
export { reporterFor, flushAllReporters, hasPendingReports, setReportSpillDirectory } from "./registry.js";
export { isRetryableError, retryThroughOutage } from "./retry-policy.js";
