import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Deployment, FlowRun } from "@baton/core";
import type { RunExit } from "../infrastructure.js";
import { ProcessGroup } from "./process-group.js";
import { runBundle } from "./run-bundle.js";
import { makeRunFolders } from "./run-environment.js";
import type { FromExecutor, ToExecutor } from "./reuse-protocol.js";

/** What starts a reused executor; runs whose spec is the same share one. */
export interface ExecutorSpec {
  deploymentId: string;
  /** The deployment's `updated`: a new deploy (a new commit) is a new version. */
  deploymentVersion: string;
  /** The executor's environment: the job's env and the worker's, without any run's own values nor HOME and TMPDIR (the executor's own). */
  env: Record<string, string>;
  /** The job's working_dir; the executor's own folder when not set. */
  workingDir: string | undefined;
  streamOutput: boolean;
  prefix: string;
  limit: number;
}

interface Executor {
  key: string;
  spec: ExecutorSpec;
  group: ProcessGroup;
  runs: Map<string, (exit: RunExit) => void>;
  retired: boolean;
}

/** The reused executor's script: the run bundle's when it is built (run-bundle.ts), else the one beside this file. */
const executorEntry = () => runBundle()?.reuseEntry ?? join(dirname(fileURLToPath(import.meta.url)), "reuse-entry.js");

/**
 * Long-lived executors of a process pool's `reuse_process` deployments (reuse-entry.ts): one per
 * deployment version and environment, taking up to `limit` runs at a time. When a deployment's
 * version or environment changes, new runs go to a new executor and the old one drains: it takes
 * no more runs and exits when its last one ends.
 */
export class ReusePool {
  private readonly executors = new Map<string, Executor>();

  /** The run's exit, or undefined when this version's executor is full (the run starts a process of its own). */
  run(spec: ExecutorSpec, flowRun: FlowRun, credentials: Record<string, string>, deployment: Deployment): { exited: Promise<RunExit>; terminate(): Promise<RunExit> } | undefined {
    const flowRunId = flowRun.id;
    const key = executorKey(spec);
    let executor = this.executors.get(key);
    if (!executor) {
      for (const old of this.executors.values()) if (old.spec.deploymentId === spec.deploymentId) this.retire(old);
      executor = this.start(key, spec);
    }
    if (executor.runs.size >= spec.limit) return undefined;
    const chosen = executor;
    const exited = new Promise<RunExit>((resolve) => chosen.runs.set(flowRunId, resolve));
    send(chosen, { type: "run", flowRunId, credentials, deployment, flowRun });
    return {
      exited,
      terminate: async () => {
        send(chosen, { type: "cancel", flowRunId });
        this.finish(chosen, flowRunId, { exitCode: null, signal: "SIGTERM", tail: "" });
        return exited;
      },
    };
  }

  /** The pids of the executors alive now. */
  pids(): number[] {
    return [...this.executors.values()].map((e) => e.group.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** The worker stops: every executor finishes its runs and exits. */
  close(): void {
    for (const executor of [...this.executors.values()]) this.retire(executor);
  }

  private start(key: string, spec: ExecutorSpec): Executor {
    const folders = makeRunFolders();
    const env = { ...spec.env, HOME: folders.home, TMPDIR: folders.tmp };
    const entry = executorEntry();
    const child = spawn(process.execPath, [entry], { env, cwd: spec.workingDir ?? folders.work, detached: true, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    const group = new ProcessGroup({ command: [process.execPath, entry], env, started: child, streamOutput: spec.streamOutput, prefix: spec.prefix });
    const executor: Executor = { key, spec, group, runs: new Map(), retired: false };
    this.executors.set(key, executor);
    child.on("message", (message: FromExecutor) => {
      if (message.type === "done") this.finish(executor, message.flowRunId, { exitCode: message.code, signal: null, tail: message.message ?? "", ...(message.state_type ? { finalState: message.state_type } : {}) });
    });
    const gone = (exit: RunExit) => {
      if (this.executors.get(key) === executor) this.executors.delete(key);
      rmSync(folders.root, { recursive: true, force: true });
      // Its runs end with it: the worker records them Crashed with the executor's last output.
      for (const flowRunId of [...executor.runs.keys()]) this.finish(executor, flowRunId, exit);
    };
    group.exited.then(gone, (error: unknown) => gone({ exitCode: null, signal: null, tail: String(error) }));
    return executor;
  }

  private finish(executor: Executor, flowRunId: string, exit: RunExit): void {
    const resolve = executor.runs.get(flowRunId);
    if (!resolve) return;
    executor.runs.delete(flowRunId);
    resolve(exit);
    if (executor.retired && executor.runs.size === 0) disconnect(executor);
  }

  private retire(executor: Executor): void {
    executor.retired = true;
    if (this.executors.get(executor.key) === executor) this.executors.delete(executor.key);
    if (executor.runs.size === 0) disconnect(executor);
  }
}

function send(executor: Executor, message: ToExecutor): void {
  if (executor.group.child.connected) executor.group.child.send(message);
}

/** Closing the channel tells the executor to exit once its runs end. */
function disconnect(executor: Executor): void {
  if (executor.group.child.connected) executor.group.child.disconnect();
}

/** Same deployment version, environment and folder: same executor. */
export function executorKey(spec: ExecutorSpec): string {
  const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash("sha256").update(JSON.stringify([spec.deploymentId, spec.deploymentVersion, spec.workingDir ?? null, env, spec.limit])).digest("hex");
}
