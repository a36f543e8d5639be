import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ClaimedRun } from "@baton/core";
import { runEnvironment } from "@baton/core/runtime";
import { loadSettings } from "baton";
import type { Infrastructure, LaunchContext, LaunchedRun } from "../infrastructure.js";
import { resolveRuntimeReferences } from "../references/runtime-references.js";
import { resolveCommand } from "./execute-command.js";
import { parseProcessJobConfiguration } from "./job-configuration.js";
import { ProcessGroup } from "./process-group.js";
import { makeRunFolders, processRunEnvironment, spareEnvironment, type RunFolders } from "./run-environment.js";
import { ReusePool } from "./reuse-pool.js";
import { isBatonExecute, reusedExecutorSpec } from "./reuse-spec.js";
import { SparePool } from "./spare-pool.js";

export interface ProcessInfrastructureOptions {
  /**
   * Spare executors kept waiting (Node started, Baton loaded), each taken by one run and
   * replaced (default 0 here; `baton worker start --spares` defaults to 1).
   */
  spares?: number;
}

/**
 * Each run is `baton flow-run execute` (or the configured command) in a child process group of
 * the worker, with a listed environment (run-environment.ts): the server's address, the run's
 * own token and identity, and a HOME and TMPDIR of its own; never the worker's key or profile.
 */
export class ProcessInfrastructure implements Infrastructure {
  readonly type = "process";
  private readonly spares: SparePool;
  private readonly reuse = new ReusePool();
  private compileCacheDir: string | undefined;

  constructor(options: ProcessInfrastructureOptions = {}) {
    const spares = options.spares ?? 0;
    if (!Number.isInteger(spares) || spares < 0) throw new TypeError(`ProcessInfrastructure: spares must be a whole number >= 0, got ${String(spares)}`);
    // The spare loads the compiler with the compile cache its runs will name.
    this.spares = new SparePool(spares, spares > 0 ? { ...spareEnvironment(process.env), BATON_COMPILE_CACHE: this.compileCache() } : {});
  }

  private compileCache(): string {
    this.compileCacheDir ??= join(loadSettings().home, "compile-cache");
    return this.compileCacheDir;
  }

  /** The pids of the spare executors waiting now. */
  sparePids(): number[] {
    return this.spares.pids();
  }

  /** The pids of the executors of reuse_process deployments alive now. */
  reusedPids(): number[] {
    return this.reuse.pids();
  }

  /** Ends the waiting spares (the worker stops). */
  close(): void {
    this.spares.close();
    this.reuse.close();
  }

  async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
    const resolved = await resolveRuntimeReferences(claimed.job_configuration, context);
    const config = parseProcessJobConfiguration(resolved.config);
    // The run masks these variables' values in its logs: they hold secrets.
    const secretEnv = Object.keys(config.env).filter((k) => resolved.secretValues.some((v) => v.length > 0 && config.env[k]!.includes(v)));
    const run = claimed.flow_run;
    const deployment = claimed.deployment;
    const environment = (folders: Pick<RunFolders, "home" | "tmp">) =>
      processRunEnvironment({
        worker: process.env,
        folders,
        jobEnv: config.env,
        localHome: context.apiUrl ? undefined : loadSettings().home,
        runValues: {
          ...(context.apiUrl ? { BATON_API_URL: context.apiUrl } : {}),
          ...context.credentials,
          ...runEnvironment({ flowRunId: run.id, workerName: context.workerName, deployment, secretEnv, pullStepTimeoutSeconds: config.pull_step_timeout_seconds }),
          // Compiled flow files outlive a run's own HOME: kept in the worker's profile folder.
          BATON_COMPILE_CACHE: this.compileCache(),
          // The run ends itself if this worker dies (see the SDK's watchWorker).
          BATON_WORKER_PID: String(process.pid),
        },
      });
    if (config.reuse_process && deployment && isBatonExecute(resolveCommand(config.command))) {
      const spec = reusedExecutorSpec(environment({ home: "", tmp: "" }), context.credentials, { deployment, config });
      const reused = this.reuse.run(spec, run, context.credentials, deployment);
      if (reused) return reused;
    }
    const folders = makeRunFolders();
    const env = environment(folders);
    const cleanup = () => rmSync(folders.root, { recursive: true, force: true });
    let group: ProcessGroup;
    try {
      const command = resolveCommand(config.command);
      const cwd = config.working_dir ?? folders.work;
      group = new ProcessGroup({
        command,
        env,
        cwd,
        started: this.takeSpare(command, env, cwd),
        streamOutput: config.stream_output,
        prefix: `[${config.name ?? run.name}] `,
      });
    } catch (error) {
      cleanup();
      throw error;
    }
    const exited = group.exited.then(
      (exit) => {
        cleanup();
        return exit;
      },
      (error: unknown) => {
        cleanup();
        throw error;
      },
    );
    return { exited, terminate: (graceSeconds) => group.terminate(graceSeconds) };
  }

  /** A spare for the CLI's own command only: a custom command is another program. */
  private takeSpare(command: string[], env: NodeJS.ProcessEnv, cwd: string) {
    // A missing folder fails the cold start with its own error: keep that message.
    if (!isBatonExecute(command) || !existsSync(cwd)) return undefined;
    const runEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (value !== undefined) runEnv[name] = value;
    return this.spares.take({ argv: command, env: runEnv, cwd, umask: currentUmask() });
  }
}

/** A cold run inherits the worker's umask; a spare is told it. */
function currentUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}
