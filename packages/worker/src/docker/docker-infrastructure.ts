import { BatonError, type ClaimedRun } from "@baton/core";
import type Docker from "dockerode";
import type { Infrastructure, LaunchContext, LaunchedRun, RunExit } from "../infrastructure.js";
import { resolveRuntimeReferences } from "../process/job-configuration.js";
import { containerSpec } from "./container-spec.js";
import { followOutput } from "./container-output.js";
import { dockerFromHost, engineError, engineMessage, statusOf } from "./engine.js";
import { ensureImage } from "./image.js";
import { parseDockerJobConfiguration } from "./job-configuration.js";

export class ContainerNotStarted extends BatonError {
  override readonly code = "ContainerNotStarted";
  override readonly status = 400;
}

export interface DockerInfrastructureOptions {
  /** `unix:///path/docker.sock` or `tcp://host:port`; DOCKER_HOST, else /var/run/docker.sock, when not given. */
  host?: string;
}

/** Why the engine ended the container, when it was not the run's own doing. */
function exitReason(state: { OOMKilled?: boolean } | undefined, memoryLimit: string | undefined): string | undefined {
  if (!state?.OOMKilled) return undefined;
  const limit = memoryLimit ? ` of its ${memoryLimit} memory limit` : "";
  return `Docker: the container was killed because it ran out of memory (OOMKilled${limit}); raise the memory job variable or make the flow use less`;
}

const ignoreGone = (error: unknown) => {
  // Already stopped (304), already removed (404) or being removed (409): the end we wanted.
  if (![304, 404, 409].includes(statusOf(error) ?? 0)) throw error;
};

/**
 * Each run is a container on a Docker engine: the image pulled as the pool's policy says,
 * `baton flow-run execute` (or the configured command) started with the run's identity and the
 * server's address, followed until it exits, then removed.
 */
export class DockerInfrastructure implements Infrastructure {
  readonly type = "docker";
  private readonly docker: Docker;
  readonly host: string;

  constructor(options: DockerInfrastructureOptions = {}) {
    const { docker, host } = dockerFromHost(options.host);
    this.docker = docker;
    this.host = host;
  }

  async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
    const resolved = await resolveRuntimeReferences(claimed.job_configuration, context);
    const config = parseDockerJobConfiguration(resolved.config);
    // The limit as the user wrote it (512m), for the message of an OOM kill.
    const memoryLimit = config.memory !== undefined ? String(resolved.config.memory) : undefined;
    // The run masks these variables' values in its logs: they hold secrets.
    const secretEnv = Object.keys(config.env).filter((k) => resolved.secretValues.some((v) => v.length > 0 && config.env[k]!.includes(v)));
    const spec = containerSpec(claimed, config, context, secretEnv);
    let container: Docker.Container;
    try {
      await ensureImage(this.docker, config.image, config.image_pull_policy);
      container = await this.docker.createContainer(spec);
    } catch (error) {
      if (error instanceof BatonError) throw error;
      const reached = engineError(error, this.host);
      if (reached !== error) throw reached;
      throw new ContainerNotStarted(`ContainerNotStarted: the Docker engine refused to create the container of image "${config.image}": ${engineMessage(error)}; check the pool's job template and the deployment's job_variables (volumes, network_mode, memory, cpus)`, { cause: error });
    }
    let output: Awaited<ReturnType<typeof followOutput>>;
    try {
      output = await followOutput(this.docker, container, { streamOutput: config.stream_output, prefix: `[${config.name ?? claimed.flow_run.name}] ` });
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(ignoreGone);
      throw new ContainerNotStarted(`ContainerNotStarted: the container of image "${config.image}" could not start: ${engineMessage(error)}; check the command job variable and that the image has it`, { cause: error });
    }

    let terminated = false;
    const exited = (async (): Promise<RunExit> => {
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      await output.done;
      const info = await container.inspect().catch(() => undefined);
      if (config.auto_remove || terminated) await container.remove({ force: true }).catch(ignoreGone);
      const removed = !info && !terminated;
      const reason = removed ? "Docker: the container was removed by someone else while the run ran" : exitReason(info?.State, memoryLimit);
      const tail = [output.tail.text(), reason].filter(Boolean).join("\n");
      // OOM-killed or removed: the engine lost the run, not the flow; crash_retries applies.
      const lost = !terminated && (removed || info?.State?.OOMKilled === true);
      return { exitCode: StatusCode, signal: null, tail, lost };
    })();

    return {
      exited,
      terminate: async (graceSeconds) => {
        terminated = true;
        // SIGTERM, and SIGKILL from the engine after the grace period.
        await container.stop({ t: Math.max(0, Math.ceil(graceSeconds)) }).catch(ignoreGone);
        const exit = await exited;
        await container.remove({ force: true }).catch(ignoreGone);
        return exit;
      },
    };
  }
}
