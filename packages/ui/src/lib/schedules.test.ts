import { expect, test } from "vitest";
import { cronInWords, describeSchedule, rruleInWords } from "./schedules";

test("schedules read in one line, in words", () => {
  expect(describeSchedule({ cron: "0 * * * *", timezone: "UTC" })).toBe("every hour at :00 (UTC)");
  expect(describeSchedule({ cron: "0 9 * * 1-5", timezone: "Europe/Paris" })).toBe("weekdays at 09:00 (Europe/Paris)");
  expect(describeSchedule({ interval: 5400, timezone: "Europe/Paris" })).toBe("every 1 h 30 m (Europe/Paris)");
  expect(describeSchedule({ interval: 45, timezone: "" })).toBe("every 45 s");
  expect(describeSchedule({ rrule: "FREQ=DAILY", timezone: "UTC" })).toBe("every day (UTC)");
  expect(describeSchedule({ rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=6;BYMINUTE=30", timezone: "America/New_York" })).toBe("weekly on Mon, Wed, Fri at 06:30 (America/New_York)");
});

test("cron and RRULE shapes too unusual for words are shown as written", () => {
  expect(cronInWords("*/15 * * * *")).toBe("every 15 minutes");
  expect(cronInWords("30 2 1 * *")).toBe("on day 1 of each month at 02:30");
  expect(cronInWords("0 18 * * 0,6")).toBe("weekends at 18:00");
  expect(cronInWords("0 9 * 1 *")).toBeUndefined();
  expect(cronInWords("0 9-17 * * *")).toBeUndefined();
  expect(describeSchedule({ cron: "0 9 L * *", timezone: "UTC" })).toBe("cron 0 9 L * * (UTC)");
  expect(rruleInWords("FREQ=MONTHLY;BYMONTHDAY=1")).toBeUndefined();
  expect(describeSchedule({ rrule: "FREQ=YEARLY", timezone: "UTC" })).toBe("rrule FREQ=YEARLY (UTC)");
});
