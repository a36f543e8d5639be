export * from "./states.js";
export * from "./orchestration.js";
