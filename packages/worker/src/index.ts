export * from "./process/process-group.js";
export * from "./process/output-tail.js";
