import type { ClaimedRun, StateType } from "@baton/core";
import type { EnvAllowList } from "./references/env-allow-list.js";

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
   * Why it ended, in the infrastructure's words ("Kubernetes Job default/x: the pod was evicted:
   * ..."), already masked; without it the worker says how the process exited.
   */
  reason?: string;
  /**
   * The state the server gave the run's last report, when the infrastructure knows it (a reused
   * executor does): a final one means the worker need not read the run back to learn how it ended.
   */
  finalState?: StateType;
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
  /**
   * Hides the values of the secrets resolved for this run (set by the worker, see masked-launch.ts):
   * for what an infrastructure records on the run itself (Kubernetes: the pod's output, its crash).
   */
  maskSecrets?(text: string): string;
  /** Which of this host's environment variables `{{ $NAME }}` may read (set by the worker's admin); none when absent. */
  allowedEnv?: EnvAllowList;
}

/**
 * A launched run, as its infrastructure sees it. The infrastructure only reports how it ended;
 * the worker's loop (worker/run-supervisor.ts) decides what that means for the run: Crashed,
 * back to Scheduled for another attempt, Cancelled, or nothing when it reached a final state.
 */
export interface LaunchedRun {
  exited: Promise<RunExit>;
  /** Ask it to stop, and force it after `graceSeconds`; resolves when it has ended. */
  terminate(graceSeconds: number): Promise<RunExit>;
  /**
   * Called once the worker has sent the run back to Scheduled after this attempt was lost: clear
   * away what would stand in the next attempt's way (Kubernetes: the lost attempt's Job, whose
   * name the next one takes).
   */
  afterRescheduled?(): Promise<void>;
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
  /** Release what it keeps between runs (a process pool's spare executors) when the worker stops. */
  close?(): void;
  adopt?(options: { pool: string; workerName: string; skip: ReadonlySet<string>; isWorkerGone(name: string): Promise<boolean>; readRun(id: string): Promise<{ state_type: string }> }): Promise<AdoptedRun[]>;
}
