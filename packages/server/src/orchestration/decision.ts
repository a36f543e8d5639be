import type { State } from "@baton/core";

/** What the rules need to know about a run. */
export interface RunForRules {
  /** For messages (a flow run's id). */
  id?: string;
  /** null while the run is being created: its first state is always accepted. */
  state: State | null;
  run_count: number;
  retries: number;
  retry_delay_seconds: number | readonly number[];
  /** The run's current claim (flow runs; undefined for task runs, which have none). */
  claim_id?: string | null;
}

export interface RuleOptions {
  /** The time the rules compare scheduled times with. */
  now: Date;
  /** An explicit retry or repair: the rules step aside (all but the claim check). */
  force: boolean;
  /**
   * Turn a FAILED with retries left into AwaitingRetry. Off for task runs reported by the
   * in-process engine, which decides retries itself and reports AwaitingRetry/Retrying.
   */
  convertRetries: boolean;
  /** How early a RUNNING may be and still count as on time (clock jitter of a reporting engine); default 0. */
  scheduledToleranceMs?: number;
  /**
   * The claim the proposer acts under (a worker's supervisor, a run with its token): the state
   * applies only while that claim is still the run's. Undefined: an operator, no claim to check.
   */
  claimId?: string | undefined;
}

export type Decision =
  | { status: "ACCEPT"; state: State }
  /** `state`: what is stored instead of the proposal; null: the run keeps its current state. */
  | { status: "REJECT"; state: State | null; reason: string }
  | { status: "WAIT"; delaySeconds: number; reason: string }
  | { status: "ABORT"; reason: string };

/** One orchestration rule: a small named unit with one concern. */
export interface Rule {
  readonly name: string;
  /** What it guards, in one line (docs/states.md lists them). */
  readonly guards: string;
  /** A decision, or undefined to leave it to the next rule of the policy. */
  decide(run: RunForRules, proposed: State, options: RuleOptions): Decision | undefined;
}
