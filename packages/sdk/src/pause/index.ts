export { pauseFlowRun, type PauseOptions } from "./pause-flow-run.js";
export { PauseInputInvalid, PauseTimeout } from "./errors.js";
