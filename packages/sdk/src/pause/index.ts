export { pauseFlowRun, type PauseOptions } from "./pause-flow-run.js";
export { suspendFlowRun, type SuspendOptions } from "./suspend-flow-run.js";
export { FlowRunSuspended, PauseInputInvalid, PauseTimeout, SuspendNotPossible } from "./errors.js";
