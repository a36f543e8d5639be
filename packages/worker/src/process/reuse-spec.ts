import type { Deployment } from "@baton/core";
import { RUN_ENV } from "@baton/core/runtime";
import type { ExecutorSpec } from "./reuse-pool.js";
import type { ProcessJobConfiguration } from "./job-configuration.js";

/** Baton's own `flow-run execute`: only it runs in a spare or a reused executor; a custom command is another program. */
export function isBatonExecute(command: string[]): boolean {
  return command[0] === process.execPath && command.length <= 5 && command[2] === "flow-run" && command[3] === "execute";
}

/**
 * A reused executor's environment is the run's minus what is the run's own: its identity
 * (BATON_FLOW_RUN_ID) and credentials (its run token) go to the run alone, over the executor's
 * channel, and HOME and TMPDIR are the executor's. What is left is the same for every run of the
 * deployment version with the same job env, so those runs share one executor.
 */
export function reusedExecutorSpec(
  runEnv: NodeJS.ProcessEnv,
  credentials: Record<string, string>,
  of: { deployment: Deployment; config: ProcessJobConfiguration },
): ExecutorSpec {
  const own = new Set<string>([RUN_ENV.flowRunId, "HOME", "TMPDIR", ...Object.keys(credentials)]);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(runEnv)) if (value !== undefined && !own.has(name)) env[name] = value;
  const { deployment, config } = of;
  return {
    deploymentId: deployment.id,
    deploymentVersion: deployment.updated,
    env,
    workingDir: config.working_dir,
    streamOutput: config.stream_output,
    prefix: `[${config.name ?? `${deployment.flow_name}/${deployment.name}`} (reused)] `,
    limit: config.reuse_limit,
  };
}
