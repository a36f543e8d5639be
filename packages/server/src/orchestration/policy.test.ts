import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { State, StateType } from "@baton/core";
import { BOOKKEEPING, ReleaseClaimWhenRequeued, WakePoolWhenClaimable, WakePoolWhenSlotFreed, type DispatchColumns } from "./bookkeeping.js";
import type { Decision, RunForRules } from "./decision.js";
import { CORE_POLICY, orchestrate } from "./policy.js";
import { ClaimMustBeCurrent, ForceOrFirstState, StaleClaim } from "./rules.js";
import { stateFromCreate } from "./states.js";

const now = new Date("2026-01-01T12:00:00.000Z");
const state = (type: StateType, name?: string): State => stateFromCreate({ type, ...(name ? { name } : {}) }, now);
const run = (current: State | null, claim_id: string | null = "claim-2"): RunForRules => ({ id: "run-1", state: current, run_count: 1, retries: 0, retry_delay_seconds: 0, claim_id });
const options = { now, force: false, convertRetries: true };

describe("the orchestration policy", () => {
  it("lists its rules in the order docs/states.md gives", () => {
    const names = CORE_POLICY.map((rule) => rule.name);
    expect(names).toEqual([
      "ClaimMustBeCurrent",
      "ForceOrFirstState",
      "TerminalStatesAreFinal",
      "CancellingEndsCancelled",
      "OneProcessPerRun",
      "WaitForScheduledTime",
      "RetryFailedRuns",
    ]);
    const doc = readFileSync(new URL("../../../../docs/states.md", import.meta.url), "utf8");
    const listed = [...doc.matchAll(/^\d+\. \*\*(\w+)\*\*/gm)].map((m) => m[1]);
    expect(listed).toEqual([...names, ...BOOKKEEPING.map((unit) => unit.name)]);
  });

  describe("ClaimMustBeCurrent", () => {
    it("refuses a state sent under another claim with 409 StaleClaim, forced or not, and naming both claims", () => {
      for (const force of [false, true]) {
        const attempt = () => orchestrate(run(state("RUNNING")), state("CANCELLED"), { ...options, force, claimId: "claim-1" });
        expect(attempt).toThrow(StaleClaim);
        expect(attempt).toThrow(/claim claim-1, but the run is now under claim claim-2/);
      }
      expect(() => orchestrate(run(state("SCHEDULED"), null), state("RUNNING"), { ...options, claimId: "claim-1" })).toThrow(/under no claim/);
      try {
        orchestrate(run(state("RUNNING")), state("CRASHED"), { ...options, claimId: "claim-1" });
      } catch (error) {
        expect(error).toMatchObject({ status: 409, code: "StaleClaim" });
      }
    });

    it("has no opinion with the current claim, with no claim sent (an operator), or for a task run (no claims)", () => {
      expect(ClaimMustBeCurrent.decide(run(state("RUNNING")), state("CANCELLED"), { ...options, claimId: "claim-2" })).toBeUndefined();
      expect(ClaimMustBeCurrent.decide(run(state("RUNNING")), state("CANCELLED"), options)).toBeUndefined();
      const taskRun: RunForRules = { state: state("RUNNING"), run_count: 1, retries: 0, retry_delay_seconds: 0 };
      expect(ClaimMustBeCurrent.decide(taskRun, state("COMPLETED"), { ...options, claimId: "claim-1" })).toBeUndefined();
    });
  });

  describe("ForceOrFirstState", () => {
    it("accepts a forced state or a run's first one, and leaves everything else to the next rules", () => {
      expect(ForceOrFirstState.decide(run(state("COMPLETED")), state("SCHEDULED"), { ...options, force: true })).toMatchObject({ status: "ACCEPT" });
      expect(ForceOrFirstState.decide(run(null), state("RUNNING"), options)).toMatchObject({ status: "ACCEPT" });
      expect(ForceOrFirstState.decide(run(state("COMPLETED")), state("SCHEDULED"), options)).toBeUndefined();
    });
  });

  it("accepts what no rule has an opinion on", () => {
    expect(orchestrate(run(state("SCHEDULED")), state("SCHEDULED", "Late"), options)).toMatchObject({ status: "ACCEPT" });
    expect(orchestrate(run(state("SCHEDULED")), state("PENDING"), options, [])).toMatchObject({ status: "ACCEPT" });
  });

  it("lets the first rule with an opinion decide: a forced state still needs the current claim", () => {
    expect(() => orchestrate(run(state("COMPLETED")), state("SCHEDULED"), { ...options, force: true, claimId: "claim-1" })).toThrow(StaleClaim);
    expect(orchestrate(run(state("COMPLETED")), state("SCHEDULED"), { ...options, force: true, claimId: "claim-2" }).status).toBe("ACCEPT");
  });
});

describe("bookkeeping after a decision", () => {
  const keep = (decision: Decision, from: State, to: State) => {
    const dispatch: DispatchColumns = { worker_name: "w1", lease_expiration: "2026-01-01T12:01:00.000Z", claim_id: "claim-1", claim_key_id: "key-1" };
    const woken: (string | null)[] = [];
    for (const unit of BOOKKEEPING) unit.apply({ decision, from, to, work_pool_name: "pool" }, { dispatch, wake: (pool) => woken.push(pool) });
    return { dispatch, woken };
  };
  const accept = (to: State): Decision => ({ status: "ACCEPT", state: to });

  it("ReleaseClaimWhenRequeued: a run sent back to SCHEDULED loses its claim, not its worker or lease (why reads them)", () => {
    expect(ReleaseClaimWhenRequeued.name).toBe("ReleaseClaimWhenRequeued");
    const back = state("SCHEDULED", "Rescheduled");
    expect(keep(accept(back), state("PENDING"), back).dispatch).toEqual({ worker_name: "w1", lease_expiration: "2026-01-01T12:01:00.000Z", claim_id: null, claim_key_id: null });
    // An AwaitingRetry its own process waits out (a REJECT of FAILED) keeps the claim and its token.
    const awaiting = state("SCHEDULED", "AwaitingRetry");
    expect(keep({ status: "REJECT", state: awaiting, reason: "retry" }, state("RUNNING"), awaiting).dispatch.claim_id).toBe("claim-1");
    // Late is SCHEDULED to SCHEDULED: nothing changes hands.
    const late = state("SCHEDULED", "Late");
    expect(keep(accept(late), state("SCHEDULED"), late).dispatch.claim_id).toBe("claim-1");
  });

  it("WakePoolWhenClaimable: a run sent back to SCHEDULED wakes its pool; a Late or AwaitingRetry one does not", () => {
    const back = state("SCHEDULED");
    const woken: string[] = [];
    WakePoolWhenClaimable.apply({ decision: accept(back), from: state("FAILED"), to: back, work_pool_name: "pool" }, { dispatch: {} as DispatchColumns, wake: (p) => p && woken.push(p) });
    expect(woken).toEqual(["pool"]);
    expect(keep(accept(state("SCHEDULED", "Late")), state("SCHEDULED"), state("SCHEDULED", "Late")).woken).toEqual([]);
    const awaiting = state("SCHEDULED", "AwaitingRetry");
    const claimable: string[] = [];
    WakePoolWhenClaimable.apply(
      { decision: { status: "REJECT", state: awaiting, reason: "retry" }, from: state("RUNNING"), to: awaiting, work_pool_name: "pool" },
      { dispatch: {} as DispatchColumns, wake: (p) => p && claimable.push(p) },
    );
    expect(claimable).toEqual([]);
    // It does free the slot its RUNNING held, though.
    expect(keep({ status: "REJECT", state: awaiting, reason: "retry" }, state("RUNNING"), awaiting).woken).toEqual(["pool"]);
  });

  it.each([
    ["PENDING", "CANCELLED", true],
    ["RUNNING", "COMPLETED", true],
    ["RUNNING", "CRASHED", true],
    ["CANCELLING", "CANCELLED", true],
    ["RUNNING", "CANCELLING", false],
    ["SCHEDULED", "PENDING", false],
    ["PENDING", "RUNNING", false],
    ["SCHEDULED", "CANCELLED", false],
  ] as const)("WakePoolWhenSlotFreed: %s to %s frees a slot: %s", (from, to, wakes) => {
    const woken: string[] = [];
    WakePoolWhenSlotFreed.apply({ decision: accept(state(to)), from: state(from), to: state(to), work_pool_name: "pool" }, { dispatch: {} as DispatchColumns, wake: (p) => p && woken.push(p) });
    expect(woken).toEqual(wakes ? ["pool"] : []);
  });
});
