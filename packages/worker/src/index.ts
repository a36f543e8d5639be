export * from "./process/process-group.js";
export * from "./process/output-tail.js";
export { ProcessInfrastructure } from "./process/process-infrastructure.js";
export { resolveCommand, splitCommand } from "./process/execute-command.js";
export { InvalidJobConfiguration, ProcessJobConfigurationSchema, type ProcessJobConfiguration } from "./process/job-configuration.js";
export type { Infrastructure, LaunchContext, LaunchedRun, RunExit } from "./infrastructure.js";
export type { WorkerEvent } from "./worker/events.js";
export { startWorker, WorkPoolNotFound, UnsupportedWorkPoolType, type StartWorkerOptions, type RunningWorker } from "./worker/start-worker.js";
export * from "./kubernetes/index.js";
