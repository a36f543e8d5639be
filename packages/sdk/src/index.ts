export * from "./client/index.js";
export * from "./settings/index.js";

// Recorded error stacks name the TypeScript lines (tsx and tsc both emit source maps).
process.setSourceMapsEnabled(true);

export { flow, isFlow, runFlow, type Flow, type FlowOptions, type StandardSchemaV1 } from "./flow/index.js";
export { task, isTask, taskInputHash, type Task, type TaskOptions, type TaskCacheContext } from "./task/index.js";
export { getRunLogger, RunLogger } from "./logging/index.js";
export { concurrency, rateLimit, ConcurrencySlotTimeout, type ConcurrencyOptions } from "./concurrency/index.js";
export { createMarkdownArtifact, createTableArtifact, createLinkArtifact, createProgressArtifact, updateProgressArtifact, type ArtifactOptions } from "./artifacts/index.js";
export { ArtifactTooLarge } from "@baton/core/runtime";
export { getVariable, getSecret, VariableInvalid, SecretOutOfScope, type GetVariableOptions } from "./values/index.js";
export { jsonSerializer, v8Serializer, localStorage as localResultStorage, serverStorage as serverResultStorage, s3Storage as s3ResultStorage, InvalidResultStorage, type ResultSerializer, type ResultStorage, type ResultStorageSpec, type S3StorageOptions } from "./results/index.js";
export { pauseFlowRun, PauseInputInvalid, PauseTimeout, type PauseOptions, suspendFlowRun, FlowRunSuspended, SuspendNotPossible, type SuspendOptions } from "./pause/index.js";
export { runDeployment, DeploymentNotFound, InvalidDeploymentName, RunDeploymentTimeout, type RunDeploymentOptions } from "./run-deployment/index.js";
export type { HookContext, StateHook, Hooks, FlowHookOptions, TaskHookOptions } from "./hooks/index.js";
export { getRunContext, currentRunContext, type RunContext } from "./context/index.js";
export { exponentialBackoff, type ExponentialBackoffOptions, type RetryDelay, type RetryDelayFn } from "./timing/retry.js";
export type { FlowRunOutcome, RunFlowOptions } from "./engine/flow-run-engine.js";
export { flushAllReporters as flushReports } from "./reporter/index.js";
export {
  FlowRunAbortedError,
  FlowRunCancelledError,
  FlowRunFailedError,
  MissingRunContextError,
  RunStoppedError,
} from "./errors/index.js";
export { FlowTimeoutError, TaskTimeoutError, ParameterValidationError } from "@baton/core/runtime";
export { executeFlowRun, FlowRunNotExecutable, MaskingTransport, SecretNotFound, VariableNotFound, type ExecuteFlowRunOptions, type ExecuteFlowRunResult } from "./execute/index.js";
export type { GitProgress, PullProgress } from "./pull-steps/index.js";
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
