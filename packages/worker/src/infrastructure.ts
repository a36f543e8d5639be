import type { ClaimedRun } from "@baton/core";

/** How a launched run ended, as far as its infrastructure can tell. */
export interface RunExit {
  exitCode: number | null;
  signal: string | null;
  /** The last lines of its output, for the message of a run that crashed. */
  tail: string;
  /**
   * The infrastructure lost the run (pod evicted, OOM-killed, container or Job removed by someone
   * else): another attempt may succeed, so the pool's crash_retries applies.
   */
  lost?: boolean;
  /**
   * The infrastructure already recorded how the run ended (Kubernetes does, for Jobs it follows
   * after a restart too): the worker must not record it again. After "rescheduled" the run may
   * already be claimed for its next attempt.
   */
  recorded?: "crashed" | "rescheduled" | "final";
}

/** What every launched run gets besides its job configuration: how to reach the server, and who launched it. */
export interface LaunchContext {
  workerName: string;
  /** `http://host:4200/api`, injected as BATON_API_URL; undefined when the worker records in-process. */
  apiUrl: string | undefined;
  /** The run's own credential (BATON_API_KEY=<run token>), never the worker's key; empty for an in-process worker. */
  credentials: Record<string, string>;
  /** `{{ baton.secrets.X }}` in a job configuration, resolved on this machine at launch. */
  resolveSecret(name: string): Promise<string>;
  resolveVariable(name: string): Promise<unknown>;
}

export interface LaunchedRun {
  exited: Promise<RunExit>;
  /** Ask it to stop, and force it after `graceSeconds`; resolves when it has ended. */
  terminate(graceSeconds: number): Promise<RunExit>;
}

/** A run found still running on the infrastructure after its worker went away. */
export interface AdoptedRun {
  id: string;
  name: string;
  crashRetries: number;
  launched: LaunchedRun;
}

/**
 * Where a claimed run runs: a child process, a container, a Kubernetes Job. The worker's loop
 * knows nothing else about it.
 */
export interface Infrastructure {
  readonly type: string;
  launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun>;
  /**
   * Runs of `pool` still running here whose worker is this one (same name) or gone, not in
   * `skip` (followed already), each followed as if just launched. Optional: a process pool's
   * children die with their worker.
   */
  adopt?(options: { pool: string; workerName: string; skip: ReadonlySet<string>; isWorkerGone(name: string): Promise<boolean>; readRun(id: string): Promise<{ state_type: string }> }): Promise<AdoptedRun[]>;
}
