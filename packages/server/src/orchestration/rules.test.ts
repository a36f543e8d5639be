import { describe, expect, it } from "vitest";
import type { State, StateType } from "@baton/core";
import { retryDelaySeconds } from "./retry.js";
import { orchestrate } from "./policy.js";
import type { RunForRules } from "./decision.js";
import { stateFromCreate } from "./states.js";

const now = new Date("2026-01-01T12:00:00.000Z");
const state = (type: StateType, extra: Partial<State> = {}): State => ({ ...stateFromCreate({ type }, now), ...extra });
const run = (current: State | null, extra: Partial<RunForRules> = {}): RunForRules => ({ state: current, run_count: 1, retries: 0, retry_delay_seconds: 0, ...extra });
const rules = { now, force: false, convertRetries: true };

describe("orchestration rules", () => {
  it("accepts the first state of a new run", () => {
    expect(orchestrate(run(null), state("COMPLETED"), rules).status).toBe("ACCEPT");
  });

  it("accepts an ordinary step forward", () => {
    expect(orchestrate(run(state("PENDING")), state("RUNNING"), rules).status).toBe("ACCEPT");
    expect(orchestrate(run(state("RUNNING")), state("COMPLETED"), rules).status).toBe("ACCEPT");
  });

  it("makes a run proposed RUNNING before its scheduled time wait", () => {
    const scheduled = state("SCHEDULED", { state_details: { scheduled_time: "2026-01-01T12:00:30.000Z" } });
    const decision = orchestrate(run(scheduled), state("RUNNING"), rules);
    expect(decision).toMatchObject({ status: "WAIT", delaySeconds: 30 });
    const due = state("SCHEDULED", { state_details: { scheduled_time: "2026-01-01T11:59:00.000Z" } });
    expect(orchestrate(run(due), state("RUNNING"), rules).status).toBe("ACCEPT");
  });

  it.each([
    ["PENDING", "PENDING"],
    ["RUNNING", "PENDING"],
    ["RUNNING", "RUNNING"],
  ] as const)("aborts a second %s when the run is already %s", (current, proposed) => {
    const decision = orchestrate(run(state(current)), state(proposed), rules);
    expect(decision.status).toBe("ABORT");
    expect(decision.status === "ABORT" && decision.reason).toContain(`already ${current}`);
  });

  it("turns FAILED with retries left into AwaitingRetry with the delay of that attempt", () => {
    const policy = { retries: 3, retry_delay_seconds: [1, 5] };
    const first = orchestrate(run(state("RUNNING"), { ...policy, run_count: 1 }), state("FAILED", { message: "boom" }), rules);
    expect(first.status).toBe("REJECT");
    const stored = first.status === "REJECT" ? first.state! : undefined;
    expect(stored).toMatchObject({ type: "SCHEDULED", name: "AwaitingRetry", state_details: { scheduled_time: "2026-01-01T12:00:01.000Z", replaced_proposed: "FAILED" } });
    expect(stored?.message).toContain("boom");
    const third = orchestrate(run(state("RUNNING"), { ...policy, run_count: 3 }), state("FAILED"), rules);
    expect(third.status === "REJECT" && third.state?.state_details.scheduled_time).toBe("2026-01-01T12:00:05.000Z");
  });

  it("lets FAILED stand once the retries are used up, or when retries are the engine's business", () => {
    expect(orchestrate(run(state("RUNNING"), { retries: 2, run_count: 3 }), state("FAILED"), rules).status).toBe("ACCEPT");
    expect(orchestrate(run(state("RUNNING"), { retries: 2, run_count: 1 }), state("FAILED"), { ...rules, convertRetries: false }).status).toBe("ACCEPT");
  });

  it.each(["COMPLETED", "FAILED", "CRASHED", "CANCELLED"] as const)("keeps %s final unless forced", (terminal) => {
    for (const proposed of ["RUNNING", "PENDING", "COMPLETED", "SCHEDULED"] as const) {
      const decision = orchestrate(run(state(terminal)), state(proposed), rules);
      expect(decision.status).toBe("ABORT");
      expect(decision.status === "ABORT" && decision.reason).toContain("terminal states are final");
    }
    expect(orchestrate(run(state(terminal)), state("SCHEDULED"), { ...rules, force: true }).status).toBe("ACCEPT");
  });

  it("ends a cancelling run CANCELLED whatever it ends with", () => {
    for (const ending of ["COMPLETED", "FAILED"] as const) {
      const decision = orchestrate(run(state("CANCELLING")), state(ending), rules);
      expect(decision.status).toBe("REJECT");
      expect(decision.status === "REJECT" && decision.state).toMatchObject({ type: "CANCELLED", state_details: { replaced_proposed: ending } });
    }
    expect(orchestrate(run(state("CANCELLING")), state("CANCELLED"), rules).status).toBe("ACCEPT");
    const running = orchestrate(run(state("CANCELLING")), state("RUNNING"), rules);
    expect(running).toMatchObject({ status: "REJECT", state: null });
  });

  it("lets a paused run go back to RUNNING", () => {
    expect(orchestrate(run(state("PAUSED")), state("RUNNING"), rules).status).toBe("ACCEPT");
  });
});

describe("retry delays", () => {
  it("uses one value for all retries, or one per retry with the last repeating", () => {
    expect(retryDelaySeconds(7, 1)).toBe(7);
    expect(retryDelaySeconds(7, 9)).toBe(7);
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds([1, 5, 10], n))).toEqual([1, 5, 10, 10]);
  });
});

describe("scheduled time tolerance", () => {
  it("lets a reported RUNNING a little early through, but not a real early start", () => {
    const scheduled = stateFromCreate({ type: "SCHEDULED", state_details: { scheduled_time: "2026-01-01T12:00:00.500Z" } }, now);
    const options = { now, force: false, convertRetries: false, scheduledToleranceMs: 1000 };
    expect(orchestrate(run(scheduled), stateFromCreate({ type: "RUNNING" }, now), options).status).toBe("ACCEPT");
    const later = stateFromCreate({ type: "SCHEDULED", state_details: { scheduled_time: "2026-01-01T12:00:05.000Z" } }, now);
    expect(orchestrate(run(later), stateFromCreate({ type: "RUNNING" }, now), options).status).toBe("WAIT");
  });
});
