import { describe, expect, it } from "vitest";
import type { Deployment, DeploymentSchedule } from "@baton/core";
import { findSchedule } from "./schedule-ref.js";

describe("findSchedule", () => {
  const schedule = (id: string): DeploymentSchedule => ({ id, schedule: { interval: 60, timezone: "UTC" }, active: true, parameters: {} });
  const deployment = { flow_name: "etl", name: "nightly", schedules: [schedule("01a24f98-e6b0-73c1-8d9b-7cb1c38fc4c8"), schedule("01a24f98-ed96-7607-9678-95e138db5bfd")] } as Deployment;

  it("takes a full ID or a unique prefix, says which when a prefix matches several, and names the list command when none", async () => {
    expect((await findSchedule(deployment, "01A24F98-ED96-7607-9678-95E138DB5BFD")).id).toBe("01a24f98-ed96-7607-9678-95e138db5bfd");
    expect((await findSchedule(deployment, "01a24f98-e6b")).id).toBe("01a24f98-e6b0-73c1-8d9b-7cb1c38fc4c8");
    await expect(findSchedule(deployment, "01a24f98")).rejects.toThrow(/"01a24f98" matches 2 schedules; give more characters of the ID:\n {2}01a24f98-e6b0-.* every 60s \(UTC\)/);
    await expect(findSchedule(deployment, "0190c0de-0000-7000-8000-000000000000")).rejects.toThrow(/has no schedule "0190c0de-0000-7000-8000-000000000000"; list its schedules with baton deployment schedule ls etl\/nightly/);
    await expect(findSchedule(deployment, "01a2")).rejects.toThrow(/DeploymentScheduleNotFound/);
  });
});
