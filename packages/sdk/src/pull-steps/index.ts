export * from "./git-clone.js";
export * from "./git-errors.js";
export { tokenUsername } from "./git-credentials.js";
export * from "./run-steps.js";
export * from "./git-progress.js";
