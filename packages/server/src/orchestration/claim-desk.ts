import type { ClaimedRun, FlowRun } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import type { Selectable } from "kysely";
import type { DeploymentTable, FlowRunTable } from "../db/schema.js";
import type { StateRoad } from "./road.js";

/**
 * A claim waiting in this process for runs of a pool. `claim` claims one run inside the
 * transaction that makes it (the dispatch folder's rules: pauses, limits, the lease); it answers
 * [] when the run may not be handed over that way, and the run waits for an ordinary claim.
 */
export interface ClaimRequestHere {
  pool: string;
  /** The queues the claim is restricted to; undefined: every queue of the pool. */
  queues: readonly string[] | undefined;
  /** `deployment`: the run's deployment row as its maker read it in this transaction, if it did. */
  claim(road: StateRoad, run: FlowRunTable, now: Date, deployment?: Selectable<DeploymentTable>): Promise<ClaimedRun[]>;
}

type TicketState = { kind: "open" } | { kind: "reserved" } | { kind: "closed"; runs: ClaimedRun[] };

/**
 * One waiting claim at the desk. A maker of a run reserves it for the length of its transaction:
 * on commit the claim is answered with the run (`deliver`), on rollback or refusal it is open again.
 */
export class ClaimTicket {
  private state: TicketState = { kind: "open" };
  private settled: (() => void) | undefined;
  private readonly handedOver: Promise<void>;
  private signalHanded!: () => void;

  constructor(
    readonly request: ClaimRequestHere,
    private readonly desk: ClaimDesk,
  ) {
    this.handedOver = new Promise<void>((resolve) => (this.signalHanded = resolve));
  }

  /** Resolves once runs were handed to this claim (the waiter stops waiting for a wake-up then). */
  get handed(): Promise<void> {
    return this.handedOver;
  }

  get open(): boolean {
    return this.state.kind === "open";
  }

  reserve(): void {
    this.state = { kind: "reserved" };
  }

  /** The maker's transaction rolled back, or the run could not be handed over: the claim waits on. */
  release(): void {
    if (this.state.kind !== "reserved") return;
    this.state = { kind: "open" };
    this.settled?.();
  }

  /** The maker's transaction committed: these runs are this claim's answer. */
  deliver(runs: ClaimedRun[]): void {
    if (this.state.kind !== "reserved") return;
    this.state = { kind: "closed", runs };
    this.desk.remove(this);
    this.signalHanded();
    this.settled?.();
  }

  /**
   * The waiter is done waiting: the runs handed to it, or [] (it leaves the desk). A reserved
   * ticket is waited for: the maker's transaction decides whether it got a run.
   */
  async close(): Promise<ClaimedRun[]> {
    while (this.state.kind === "reserved") await new Promise<void>((resolve) => (this.settled = resolve));
    const state = this.state;
    if (state.kind === "closed") return state.runs;
    this.state = { kind: "closed", runs: [] };
    this.desk.remove(this);
    return [];
  }
}

/** This process's waiting claims, oldest first, so a new run goes to the claim that has waited longest. */
export class ClaimDesk {
  private readonly tickets: ClaimTicket[] = [];

  open(request: ClaimRequestHere): ClaimTicket {
    const ticket = new ClaimTicket(request, this);
    this.tickets.push(ticket);
    return ticket;
  }

  /** The longest-waiting open claim for a run of this pool and queue, reserved; none: undefined. */
  reserve(pool: string, queue: string | null): ClaimTicket | undefined {
    const ticket = this.tickets.find((t) => t.open && t.request.pool === pool && (t.request.queues === undefined || (queue !== null && t.request.queues.includes(queue))));
    ticket?.reserve();
    return ticket;
  }

  remove(ticket: ClaimTicket): void {
    const at = this.tickets.indexOf(ticket);
    if (at >= 0) this.tickets.splice(at, 1);
  }
}

const desks = new WeakMap<BatonDatabase, ClaimDesk>();

/** The desk of claims waiting on this database in this process. */
export function claimDeskOf(database: BatonDatabase): ClaimDesk {
  let desk = desks.get(database);
  if (!desk) desks.set(database, (desk = new ClaimDesk()));
  return desk;
}

/**
 * Hand a run just made, and due, to a claim waiting in this process, in the transaction that
 * makes it: the run is PENDING under that claim when the transaction commits, and the claim is
 * answered then, without a transaction of its own (a claim waiting on another replica is woken
 * by NOTIFY and claims as usual). The run as claimed when it was handed over.
 */
export async function handToWaitingClaim(road: StateRoad, run: FlowRunTable, now: Date, deployment?: Selectable<DeploymentTable>): Promise<FlowRun | undefined> {
  if (!run.work_pool_name || run.next_scheduled_time === null || Date.parse(run.next_scheduled_time) > now.getTime()) return undefined;
  const ticket = claimDeskOf(road.database).reserve(run.work_pool_name, run.work_queue_name);
  if (!ticket) return undefined;
  let runs: ClaimedRun[];
  try {
    runs = await ticket.request.claim(road, run, now, deployment);
  } catch (error) {
    ticket.release();
    throw error;
  }
  if (runs.length === 0) {
    ticket.release();
    return undefined;
  }
  road.afterCommit(() => ticket.deliver(runs));
  road.ifRolledBack(() => ticket.release());
  return runs[0]!.flow_run;
}
