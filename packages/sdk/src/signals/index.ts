export { trackRun, untrackRun } from "./crash-handlers.js";
