export * from "./common.js";
export * from "./flows.js";
export * from "./flow-runs.js";
export * from "./task-runs.js";
export * from "./logs.js";
export * from "./reports.js";
export * from "./routes.js";
export * from "./transport.js";
