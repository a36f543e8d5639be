export { executeFlowRun, FlowRunNotExecutable, type ExecuteFlowRunOptions, type ExecuteFlowRunResult } from "./execute-flow-run.js";
export { MaskingTransport } from "./masking-transport.js";
export { SecretNotFound, VariableNotFound } from "./run-references.js";
export { maskProcessOutput } from "./mask-output.js";
export { ignoreClosedOutput } from "./leave-queue.js";
export { logMasker } from "../logging/index.js";
export { prepareExecution } from "./prepare.js";
