import { randomBytes } from "node:crypto";
import { runEnvironment, type ClaimedRun } from "@baton/core";
import type Docker from "dockerode";
import type { LaunchContext } from "../infrastructure.js";
import { splitCommand } from "../command/split-command.js";
import type { DockerJobConfiguration } from "./job-configuration.js";

/** Where the host's git key files appear inside the container. */
export const GIT_SSH_KEY_IN_CONTAINER = "/run/baton/git/ssh_key";
export const GIT_KNOWN_HOSTS_IN_CONTAINER = "/run/baton/git/known_hosts";

/** Labels by which a container is found again: its run, deployment, flow and worker. */
export const LABEL_PREFIX = "io.baton.";

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; run names like "brave-otter" already fit. */
function containerName(base: string): string {
  const safe = base.replace(/[^a-zA-Z0-9_.-]+/g, "-").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 50) || "baton-run";
  // A retried run, or a kept container (auto_remove false) of an earlier one, must not collide.
  return `${safe}-${randomBytes(3).toString("hex")}`;
}

function gitSshCommand(config: DockerJobConfiguration): string | undefined {
  if (!config.git_ssh_key_path && !config.git_known_hosts_path) return undefined;
  const parts = ["ssh", "-o BatchMode=yes", "-o StrictHostKeyChecking=yes"];
  if (config.git_ssh_key_path) parts.push(`-i ${GIT_SSH_KEY_IN_CONTAINER}`, "-o IdentitiesOnly=yes");
  if (config.git_known_hosts_path) parts.push(`-o UserKnownHostsFile=${GIT_KNOWN_HOSTS_IN_CONTAINER}`);
  return parts.join(" ");
}

/**
 * The Engine API's create body for one run. The container sees only what it is given: the
 * job's env, the server's address, the worker's credential and the run's identity, never the
 * worker's own environment.
 */
export function containerSpec(claimed: ClaimedRun, config: DockerJobConfiguration, context: LaunchContext, secretEnv: string[]): Docker.ContainerCreateOptions {
  const run = claimed.flow_run;
  const deployment = claimed.deployment;
  const sshCommand = gitSshCommand(config);
  const argv = splitCommand(config.command);
  const env: Record<string, string> = {
    ...config.env,
    ...(sshCommand ? { GIT_SSH_COMMAND: sshCommand } : {}),
    ...(context.apiUrl ? { BATON_API_URL: context.apiUrl } : {}),
    ...context.credentials,
    ...runEnvironment({ flowRunId: run.id, workerName: context.workerName, deployment, secretEnv, pullStepTimeoutSeconds: config.pull_step_timeout_seconds }),
  };
  const labels: Record<string, string> = {
    ...config.labels,
    [`${LABEL_PREFIX}flow-run-id`]: run.id,
    [`${LABEL_PREFIX}flow-run-name`]: run.name,
    [`${LABEL_PREFIX}flow-name`]: run.flow_name,
    [`${LABEL_PREFIX}worker-name`]: context.workerName,
    ...(run.work_pool_name ? { [`${LABEL_PREFIX}work-pool-name`]: run.work_pool_name } : {}),
    ...(deployment ? { [`${LABEL_PREFIX}deployment-id`]: deployment.id, [`${LABEL_PREFIX}deployment-name`]: deployment.name } : {}),
  };
  const binds = [
    ...config.volumes,
    ...(config.git_ssh_key_path ? [`${config.git_ssh_key_path}:${GIT_SSH_KEY_IN_CONTAINER}:ro`] : []),
    ...(config.git_known_hosts_path ? [`${config.git_known_hosts_path}:${GIT_KNOWN_HOSTS_IN_CONTAINER}:ro`] : []),
  ];
  return {
    name: containerName(config.name ?? run.name),
    Image: config.image,
    // The command replaces the image's entrypoint too: the Baton image's is `baton` (so that
    // `docker run baton server start` works), and `baton flow-run execute` must not become
    // `baton baton flow-run execute`.
    Entrypoint: argv.slice(0, 1),
    Cmd: argv.slice(1),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      Binds: binds,
      ...(config.network_mode ? { NetworkMode: config.network_mode } : {}),
      ...(config.memory !== undefined ? { Memory: config.memory, MemorySwap: config.memory } : {}),
      ...(config.cpus !== undefined ? { NanoCpus: Math.round(config.cpus * 1e9) } : {}),
      Privileged: config.privileged,
      // An init as PID 1 forwards the stop signal to the run and reaps what it leaves behind.
      Init: true,
      // Removal is the worker's, after it has read the exit code, OOM flag and output (see auto_remove).
      AutoRemove: false,
    },
  };
}
