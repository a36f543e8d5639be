export * from "./schema.js";
export * from "./next-runs.js";
