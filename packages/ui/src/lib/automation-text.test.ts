import { describe, expect, it } from "vitest";
import { eventText, triggerText } from "./automation-text";

describe("automation text", () => {
  it("says a proactive trigger in words: the states entered, the states expected and the time", () => {
    const match = { flows: [], deployments: ["etl/nightly"], tags: [], work_pools: [] };
    expect(triggerText({ type: "not_in_state_within", after: ["PENDING"], expect: ["RUNNING"], seconds: 600, match })).toBe(
      "When a run of deployment etl/nightly enters Pending and is not Running within 10 minutes",
    );
    expect(triggerText({ type: "not_in_state_within", after: ["SCHEDULED", "PENDING"], expect: ["RUNNING", "COMPLETED", "CANCELLING"], seconds: 90, match: { flows: [], deployments: [], tags: [], work_pools: [] } })).toBe(
      "When any run enters Scheduled or Pending and is not Running, Completed or Cancelling within 90 seconds",
    );
    expect(eventText("NOT_IN_STATE")).toBe("run not in the expected state in time");
  });
});
