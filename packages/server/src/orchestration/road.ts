import type { OrchestrationResult, RetryPolicy, State } from "@baton/core";
import type { Kysely } from "kysely";
import type { BulkColumn } from "../db/bulk.js";
import { TASK_RUN_STATE_COLUMNS } from "../db/columns.js";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { CurrentStateColumns, Database, FlowRunTable } from "../db/schema.js";
import { announceRuns } from "../wake-up/notifier.js";
import { FLOW_RUN_STATES, insertStates } from "../states/repository.js";
import { recordRunEvents } from "../run-events/record.js";
import { currentStateColumns } from "./apply.js";
import { childrenToCancel, startsCancel } from "./cancel.js";
import { publishRunStarted } from "./run-channels.js";
import { BOOKKEEPING, type DispatchColumns } from "./bookkeeping.js";
import type { Decision } from "./decision.js";
import { CORE_POLICY, orchestrate } from "./policy.js";
import { inHistoryOrder, orchestrationResult, stateToStore } from "./result.js";

/** What the road reads of a run (a locked row: FOR NO KEY UPDATE on PostgreSQL). */
export type RoadRow = Pick<
  FlowRunTable,
  "id" | "created" | "state" | "run_count" | "expected_start_time" | "start_time" | "end_time" | "work_pool_name" | "empirical_policy" | keyof DispatchColumns
>;

/** Why a state is proposed: who asks decides only which options the policy runs with. */
export type Cause = "set-state" | "claim" | "lease-expiry" | "cancel" | "retry" | "late" | "crash" | "pause-timeout";

export interface FlowRunTransition {
  row: RoadRow;
  proposed: State;
  cause: Cause;
  /** Rules step aside (an operator's retry or repair, a claim holder ending its run); the claim check still applies. */
  force?: boolean;
  /** The claim the proposer acts under: a stale one is refused (409). */
  claimId?: string | undefined;
  /** Dispatch columns the cause sets with the state (a claim's worker and lease; a retry clearing them). */
  dispatch?: Partial<DispatchColumns>;
  /** See RuleOptions.scheduledToleranceMs. */
  scheduledToleranceMs?: number;
}

export interface TransitionOutcome {
  decision: Decision;
  /** The run's state before. */
  current: State;
  /** What was stored (the proposal or its replacement), or null when nothing was. */
  stored: State | null;
  /** The run's columns once stored (null when nothing was). */
  columns: (CurrentStateColumns & DispatchColumns) | null;
  result: OrchestrationResult;
}

const DISPATCH_KEYS = ["worker_name", "lease_expiration", "claim_id", "claim_key_id"] as const satisfies readonly (keyof DispatchColumns)[];
const STATE_WRITE: readonly BulkColumn[] = TASK_RUN_STATE_COLUMNS;
const STATE_AND_DISPATCH_WRITE: readonly BulkColumn[] = [...STATE_WRITE, ...DISPATCH_KEYS.map((name) => ({ name, type: "text" as const }))];
const NO_RETRIES: RetryPolicy = { retries: 0, retry_delay_seconds: 0 };

/**
 * The one road every flow-run state change takes, inside a transaction (see `travel`): the
 * policy (CORE_POLICY) decides each proposal, the bookkeeping units (BOOKKEEPING) say what
 * follows from what is stored, and a batch is written in one multi-row insert of states and one
 * set-based update of the runs. What must happen after the commit is collected here: the pools
 * to wake. What notification rules watch is written to their outbox in the same transaction
 * (run-events/record.ts), so a delivery survives a restart between the commit and the send. The events of the stored states are taken where states are inserted
 * (events/capture.ts), so they too are published only once the transaction has committed.
 */
export class StateRoad {
  /** Pools whose waiting claims must look again once this commits. */
  readonly pools = new Set<string>();
  /** What follows the commit, and what undoes a promise made in the transaction if it rolls back. */
  readonly committed: (() => void)[] = [];
  readonly rolledBack: (() => void)[] = [];

  constructor(
    readonly database: BatonDatabase,
    readonly trx: Kysely<Database>,
  ) {}

  async apply(transitions: readonly FlowRunTransition[], now: Date): Promise<TransitionOutcome[]> {
    const outcomes: TransitionOutcome[] = [];
    const states: { ownerId: string; state: State }[] = [];
    const writes: (CurrentStateColumns & DispatchColumns & { id: string })[] = [];
    const cancelled: string[] = [];
    let dispatchChanged = false;
    for (const t of transitions) {
      const { row } = t;
      const current = fromJson<State>(row.state);
      // Only a client's FAILED can become AwaitingRetry: the road's other causes never propose FAILED.
      const policy = t.cause === "set-state" ? fromJson<RetryPolicy>(row.empirical_policy) : NO_RETRIES;
      const decision = inHistoryOrder(orchestrate(
        { id: row.id, state: current, run_count: row.run_count, retries: policy.retries, retry_delay_seconds: policy.retry_delay_seconds, claim_id: row.claim_id },
        t.proposed,
        {
          now,
          force: t.force ?? false,
          convertRetries: t.cause === "set-state",
          claimId: t.claimId,
          ...(t.scheduledToleranceMs !== undefined ? { scheduledToleranceMs: t.scheduledToleranceMs } : {}),
        },
        CORE_POLICY,
      ), current);
      const stored = stateToStore(decision);
      let columns: TransitionOutcome["columns"] = null;
      if (stored) {
        const dispatch: DispatchColumns = { worker_name: row.worker_name, lease_expiration: row.lease_expiration, claim_id: row.claim_id, claim_key_id: row.claim_key_id, ...t.dispatch };
        const books = { dispatch, wake: (pool: string | null) => pool && this.pools.add(pool) };
        for (const unit of BOOKKEEPING) unit.apply({ decision, from: current, to: stored, work_pool_name: row.work_pool_name }, books);
        dispatchChanged ||= DISPATCH_KEYS.some((key) => dispatch[key] !== row[key]);
        columns = { ...currentStateColumns(row, stored, now), ...dispatch };
        if (row.start_time === null && columns.start_time !== null) publishRunStarted({ db: this.database.db, pool: row.work_pool_name, created: row.created, startedAt: columns.start_time });
        if (startsCancel(current, stored)) cancelled.push(row.id);
        states.push({ ownerId: row.id, state: stored });
        writes.push({ ...columns, id: row.id });
      }
      outcomes.push({ decision, current, stored, columns, result: orchestrationResult(decision, current) });
    }
    if (writes.length > 0) {
      await insertStates(this.database, this.trx, FLOW_RUN_STATES, states);
      // Failed, Crashed, Late, Cancelled, Completed: the notifications' outbox, in this transaction.
      await recordRunEvents(this.database, this.trx, states);
      const columns = dispatchChanged ? STATE_AND_DISPATCH_WRITE : STATE_WRITE;
      await this.database.bulk.update(this.trx, "flow_runs", columns, writes.map((w) => columns.map((c) => w[c.name as keyof typeof w])));
    }
    // A cancelled run's children are cancelled with it (and theirs, a level per pass), in this transaction.
    const children = await childrenToCancel(this.trx, this.database.kind === "postgresql", cancelled, now);
    if (children.length > 0) await this.apply(children.map((c) => ({ ...c, cause: "cancel" as const })), now);
    return outcomes;
  }

  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }

  ifRolledBack(fn: () => void): void {
    this.rolledBack.push(fn);
  }

  /** One transition: see `apply`. */
  async one(transition: FlowRunTransition, now: Date): Promise<TransitionOutcome> {
    return (await this.apply([transition], now))[0]!;
  }
}

/** This process's waiting claims, per database (set by the app; none in a bare test or CLI). */
const wakersHere = new WeakMap<BatonDatabase, (pool: string) => void>();

/** Tell the road how to wake this process's waiting claims of a pool (the app's dispatch notifier). */
export function wakeClaimsWith(database: BatonDatabase, wake: (pool: string) => void): void {
  wakersHere.set(database, wake);
}

/**
 * Open a transaction for the road. Before it commits, the pools to wake are announced to every
 * replica (PostgreSQL NOTIFY, delivered only if it commits); after it commits, this process's
 * waiting claims are woken, and what the road was asked to do after the commit is done (a run
 * handed to a waiting claim is delivered). A rolled-back transaction wakes nobody.
 */
export async function travel<T>(database: BatonDatabase, fn: (road: StateRoad) => Promise<T>): Promise<T> {
  let road: StateRoad | undefined;
  let result: T;
  try {
    result = await database.transaction(async (trx) => {
      road = new StateRoad(database, trx);
      const out = await fn(road);
      await announceRuns(database, trx, road.pools);
      return out;
    });
  } catch (error) {
    for (const undo of road?.rolledBack ?? []) undo();
    throw error;
  }
  for (const then of road!.committed) then();
  const wake = wakersHere.get(database);
  if (wake) for (const pool of road!.pools) wake(pool);
  return result;
}
