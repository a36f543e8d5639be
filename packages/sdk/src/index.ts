export * from "./client/index.js";
export * from "./settings/index.js";

// Recorded error stacks name the TypeScript lines (tsx and tsc both emit source maps).
process.setSourceMapsEnabled(true);

export { flow, isFlow, runFlow, type Flow, type FlowOptions, type StandardSchemaV1 } from "./flow/index.js";
export { task, isTask, taskInputHash, type Task, type TaskOptions, type TaskCacheContext } from "./task/index.js";
export { getRunLogger, RunLogger } from "./logging/index.js";
export { getRunContext, currentRunContext, type RunContext } from "./context/index.js";
export { exponentialBackoff, type ExponentialBackoffOptions, type RetryDelay, type RetryDelayFn } from "./engine/retry.js";
export type { FlowRunOutcome, RunFlowOptions } from "./engine/flow-run-engine.js";
export { flushAllReporters as flushReports } from "./reporter/index.js";
export {
  FlowRunAbortedError,
  FlowRunCancelledError,
  FlowRunFailedError,
  MissingRunContextError,
  RunStoppedError,
} from "./errors/index.js";
export { FlowTimeoutError, TaskTimeoutError, ParameterValidationError } from "@baton/core";
export { executeFlowRun, FlowRunNotExecutable, MaskingTransport, SecretNotFound, VariableNotFound, type ExecuteFlowRunOptions, type ExecuteFlowRunResult } from "./execute/index.js";
export {
  secret,
  fromSource,
  serve,
  servePoolName,
  gitCloneStep,
  InvalidFlowSource,
  ClaimLoop,
  ensureWorkPool,
  startWorkerHeartbeat,
  type ClaimLoopOptions,
  type DeployableFlow,
  type DeployOptions,
  type DeployResult,
  type FlowSourceOptions,
  type ServeOptions,
} from "./deploy/index.js";
