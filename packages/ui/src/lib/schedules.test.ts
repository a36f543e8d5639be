import { expect, test } from "vitest";
import { describeSchedule } from "./schedules";

test("schedules read in one line", () => {
  expect(describeSchedule({ cron: "0 * * * *", timezone: "UTC" })).toBe("cron 0 * * * * (UTC)");
  expect(describeSchedule({ interval: 5400, timezone: "Europe/Paris" })).toBe("every 1 h 30 m (Europe/Paris)");
  expect(describeSchedule({ interval: 45, timezone: "" })).toBe("every 45 s");
  expect(describeSchedule({ rrule: "FREQ=DAILY", timezone: "UTC" })).toBe("rrule FREQ=DAILY (UTC)");
});
