import { describe, expect, test } from "vitest";
import { checkAutomationDraft, emptyAutomationDraft } from "./automation-form";

describe("the new automation form's check (core's schema)", () => {
  test("a state trigger with a notify action becomes the API's body", () => {
    const check = checkAutomationDraft({ ...emptyAutomationDraft(), name: "page-ops", flows: "etl", actions: [{ type: "notify", target: "ops" }, { type: "cancel_run", target: "" }] });
    expect(check.problems).toEqual({});
    expect(check.body).toEqual({ name: "page-ops", trigger: { type: "state", states: ["FAILED"], match: { flows: ["etl"], deployments: [], tags: [], work_pools: [] } }, actions: [{ type: "notify", rule: "ops" }, { type: "cancel_run" }] });
  });

  test("minutes become seconds; a pool outage watches the pools given", () => {
    const check = checkAutomationDraft({ ...emptyAutomationDraft(), name: "pool-down", kind: "work_pool_offline", minutes: "10", workPools: "k8s", actions: [{ type: "pause_work_pool", target: "k8s" }] });
    expect(check.body?.trigger).toEqual({ type: "work_pool_offline", seconds: 600, work_pools: ["k8s"] });
  });

  test("each problem is under its field: the deadline's deployment and time, an action's target", () => {
    const check = checkAutomationDraft({ ...emptyAutomationDraft(), name: "late", kind: "no_completed_run_by", deployment: "nightly", time: "7am", actions: [{ type: "run_deployment", target: "" }] });
    expect(check.problems).toMatchObject({ deployment: expect.stringMatching(/flow\/deployment/), time: expect.stringMatching(/HH:MM/), "action-0": expect.any(String) });
    expect(checkAutomationDraft({ ...emptyAutomationDraft(), name: "x", kind: "running_longer_than", minutes: "" }).problems.minutes).toBeTruthy();
  });
});
