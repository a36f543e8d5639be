export { getRunContext, currentRunContext, type RunContext } from "./run-context.js";
