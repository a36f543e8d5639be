import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClaimedRun } from "@baton/core";
import type { Infrastructure, LaunchContext, LaunchedRun } from "../infrastructure.js";
import { resolveCommand } from "./execute-command.js";
import { parseProcessJobConfiguration, resolveRuntimeReferences } from "./job-configuration.js";
import { ProcessGroup } from "./process-group.js";

/**
 * Each run is `baton flow-run execute` (or the configured command) in a child process group of
 * the worker, with the server's address, the worker's credential and the run's identity in its
 * environment.
 */
export class ProcessInfrastructure implements Infrastructure {
  readonly type = "process";

  async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
    const resolved = await resolveRuntimeReferences(claimed.job_configuration, context);
    const config = parseProcessJobConfiguration(resolved.config);
    // The run masks these variables' values in its logs: they hold secrets.
    const secretEnv = Object.keys(config.env).filter((k) => resolved.secretValues.some((v) => v.length > 0 && config.env[k]!.includes(v)));
    const run = claimed.flow_run;
    const deployment = claimed.deployment;
    // The worker's own credentials stay with the worker: the run gets its run token (context.credentials).
    const { BATON_API_KEY: _key, BATON_API_AUTH_STRING: _auth, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      ...config.env,
      ...(context.apiUrl ? { BATON_API_URL: context.apiUrl } : {}),
      ...context.credentials,
      BATON_FLOW_RUN_ID: run.id,
      ...(secretEnv.length > 0 ? { BATON_SECRET_ENV: secretEnv.join(",") } : {}),
      BATON_WORKER_NAME: context.workerName,
      // The run ends itself if this worker dies (see the SDK's watchWorker).
      BATON_WORKER_PID: String(process.pid),
      ...(deployment ? { BATON_DEPLOYMENT_NAME: `${deployment.flow_name}/${deployment.name}` } : {}),
    };
    const tempDir = config.working_dir ? undefined : mkdtempSync(join(tmpdir(), "baton-run-"));
    const group = new ProcessGroup({
      command: resolveCommand(config.command),
      env,
      cwd: config.working_dir ?? tempDir!,
      streamOutput: config.stream_output,
      prefix: `[${config.name ?? run.name}] `,
    });
    const cleanup = () => {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    };
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
}
