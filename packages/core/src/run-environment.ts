import { PULL_STEP_TIMEOUT_ENV } from "./job-templates/defaults.js";

/**
 * The run environment contract: what every infrastructure (process, Docker, Kubernetes) tells a
 * flow run about itself through environment variables, written once here so the three cannot
 * drift. `baton flow-run execute` reads them back.
 */
export const RUN_ENV = {
  /** The flow run to execute. */
  flowRunId: "BATON_FLOW_RUN_ID",
  /** The worker that launched the run (for logs and for the run's own checks). */
  workerName: "BATON_WORKER_NAME",
  /** `<flow>/<deployment>` when the run belongs to a deployment. */
  deploymentName: "BATON_DEPLOYMENT_NAME",
  /** Names of variables holding secret values, comma-separated: the run masks their values in its logs. */
  secretEnv: "BATON_SECRET_ENV",
  /** Seconds each pull step may take. */
  pullStepTimeoutSeconds: PULL_STEP_TIMEOUT_ENV,
} as const;

export interface RunEnvironmentInput {
  flowRunId: string;
  workerName: string;
  deployment?: { flow_name: string; name: string } | null | undefined;
  secretEnv?: readonly string[];
  pullStepTimeoutSeconds?: number | null | undefined;
}

/** The run's identity variables, in a fixed order; unset ones are left out. */
export function runEnvironment(input: RunEnvironmentInput): Record<string, string> {
  return {
    [RUN_ENV.flowRunId]: input.flowRunId,
    ...(input.pullStepTimeoutSeconds ? { [RUN_ENV.pullStepTimeoutSeconds]: String(input.pullStepTimeoutSeconds) } : {}),
    ...(input.secretEnv && input.secretEnv.length > 0 ? { [RUN_ENV.secretEnv]: input.secretEnv.join(",") } : {}),
    [RUN_ENV.workerName]: input.workerName,
    ...(input.deployment ? { [RUN_ENV.deploymentName]: `${input.deployment.flow_name}/${input.deployment.name}` } : {}),
  };
}
