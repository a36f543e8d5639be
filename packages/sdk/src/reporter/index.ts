export { Reporter, type ReporterOptions } from "./reporter.js";
export { reporterFor, flushAllReporters, hasPendingReports } from "./registry.js";
