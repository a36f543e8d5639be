import { BatonError, type ClaimedRun } from "@baton/core";
import type Docker from "dockerode";
import type { AdoptedRun, Infrastructure, LaunchContext, LaunchedRun } from "../infrastructure.js";
import { adoptContainers } from "./adopt.js";
import { resolveRuntimeReferences } from "../references/runtime-references.js";
import { containerSpec } from "./container-spec.js";
import { followOutput } from "./container-output.js";
import { createContainer, dockerFromHost, engineError, engineMessage } from "./engine.js";
import { FOLLOW_LABELS, followContainer, ignoreGone } from "./follow-container.js";
import { ensureImage } from "./image.js";
import { parseDockerJobConfiguration } from "./job-configuration.js";
import { enforceHostAccess, type HostAccess } from "../host-access/host-access.js";
import { dockerHostRequests } from "./host-access.js";

export class ContainerNotStarted extends BatonError {
  override readonly code = "ContainerNotStarted";
  override readonly status = 400;
}

export interface DockerInfrastructureOptions {
  /** A unix socket (`unix:///path/docker.sock`); when not given, the engine the environment names, as for the docker CLI. */
  host?: string;
  /** The environment DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH are read from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** What runs may take from the host (privileged, bind mounts, host namespaces, the engine's socket): nothing when not given. */
  hostAccess?: HostAccess;
}

/**
 * Each run is a container on a Docker engine: the image pulled as the pool's policy says,
 * `baton flow-run execute` (or the configured command) started with the run's identity and the
 * server's address, followed until it exits, then removed.
 */
export class DockerInfrastructure implements Infrastructure {
  readonly type = "docker";
  private readonly docker: Docker;
  readonly host: string;
  private readonly hostAccess: HostAccess;

  constructor(options: DockerInfrastructureOptions = {}) {
    const { docker, host } = dockerFromHost(options.host, options.env);
    this.docker = docker;
    this.host = host;
    this.hostAccess = options.hostAccess ?? {};
  }

  async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
    const resolved = await resolveRuntimeReferences(claimed.job_configuration, context);
    const config = parseDockerJobConfiguration(resolved.config);
    // The limit as the user wrote it (512m), for the message of an OOM kill.
    const memoryLimit = config.memory !== undefined ? String(resolved.config.memory) : undefined;
    // The run masks these variables' values in its logs: they hold secrets.
    const secretEnv = Object.keys(config.env).filter((k) => resolved.secretValues.some((v) => v.length > 0 && config.env[k]!.includes(v)));
    const spec = containerSpec(claimed, config, context, secretEnv);
    // Checked on what would be sent, after secrets and variables were resolved: no template or value gets around it.
    enforceHostAccess(dockerHostRequests(spec, this.host.startsWith("unix://") ? this.host.slice("unix://".length) : undefined), this.hostAccess, "docker");
    // What a restarted worker needs to follow the container as this one would (adopt.ts).
    spec.Labels = {
      ...spec.Labels,
      [FOLLOW_LABELS.autoRemove]: String(config.auto_remove),
      [FOLLOW_LABELS.crashRetries]: String(config.crash_retries),
      [FOLLOW_LABELS.streamOutput]: String(config.stream_output),
      ...(memoryLimit ? { [FOLLOW_LABELS.memoryLimit]: memoryLimit } : {}),
    };
    let container: Docker.Container;
    try {
      await ensureImage(this.docker, config.image, config.image_pull_policy);
      container = await createContainer(this.docker, spec);
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

    return followContainer(container, output, { autoRemove: config.auto_remove, memoryLimit });
  }

  adopt(options: Parameters<NonNullable<Infrastructure["adopt"]>>[0]): Promise<AdoptedRun[]> {
    return adoptContainers(this.docker, options);
  }
}
