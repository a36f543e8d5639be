import type { DeploymentTrigger, DeploymentTriggersResult, ScheduleSpecInput } from "@baton/core";
import type { BatonClient } from "../client/index.js";

/** Where a deployment's code comes from: a git repository cloned by each run. */
export interface FlowSourceOptions {
  /** `git@host:org/repo.git`, `ssh://...` or `https://...` (no credentials inside). */
  source: string;
  /** `path/in/repo.ts:exportName`. */
  entrypoint: string;
  /** A branch, or a full commit hash. */
  ref?: string;
  /** `secret("deploy-key")`: the private key, never the key itself. */
  sshKey?: string;
  /** `secret("gitlab-token")`, for an https repository. */
  accessToken?: string;
  /** User name sent with the token (the host's usual one by default). */
  username?: string;
  /** known_hosts lines of the SSH host: host keys are always checked. */
  knownHosts?: string;
  includeSubmodules?: boolean;
  /** Sparse checkout of these folders. */
  directories?: string[];
}

export interface DeployOptions {
  name: string;
  workPool: string;
  workQueue?: string;
  description?: string;
  version?: string;
  parameters?: Record<string, unknown>;
  schedules?: ScheduleSpecInput[];
  tags?: string[];
  jobVariables?: Record<string, unknown>;
  paused?: boolean;
  concurrencyLimit?: number;
  enforceParameterSchema?: boolean;
  /**
   * The deployment's triggers, as under `triggers:` in baton.yaml: each becomes an automation it
   * owns that runs it. Given (even `[]`), they replace the ones it had; left out, those stay.
   */
  triggers?: DeploymentTrigger[];
  /** The process's client (from the settings) when not given. */
  client?: BatonClient;
}

export interface ServeOptions {
  name: string;
  schedules?: ScheduleSpecInput[];
  parameters?: Record<string, unknown>;
  tags?: string[];
  description?: string;
  version?: string;
  /** `path/file.ts:exportName`; found from the file that defined the flow when not given. */
  entrypoint?: string;
  /** Runs at the same time in this process (default 10). */
  limit?: number;
  /** Stop serving: no new runs are taken, running ones finish, then serve() resolves. */
  signal?: AbortSignal;
  /** Long-poll time of each claim (default 20 s). */
  pollWaitSeconds?: number;
  client?: BatonClient;
}

export interface DeployableFlow {
  deploy(options: DeployOptions): Promise<DeployResult>;
}

export interface DeployResult {
  deployment: import("@baton/core").Deployment;
  outcome: "created" | "updated" | "unchanged";
  /** What became of each trigger's automation, when `triggers` was given. */
  triggers?: DeploymentTriggersResult;
}
