import { expect, it } from "vitest";
import { lastDailyDeadline } from "./daily-deadline.js";

const at = (iso: string) => new Date(iso);

it("finds today's deadline once it has passed, yesterday's before, in the zone's own day", () => {
  expect(lastDailyDeadline("07:00", "Europe/Paris", at("2026-12-07T06:00:00Z"))).toEqual({ at: at("2026-12-07T06:00:00Z"), day: "2026-12-07" });
  expect(lastDailyDeadline("07:00", "Europe/Paris", at("2026-12-07T05:59:59Z"))).toEqual({ at: at("2026-12-06T06:00:00Z"), day: "2026-12-06" });
  // 23:30 UTC is already the 8th in Tokyo.
  expect(lastDailyDeadline("07:00:30", "Asia/Tokyo", at("2026-12-07T23:30:00Z"))).toEqual({ at: at("2026-12-07T22:00:30Z"), day: "2026-12-08" });
});

it("follows daylight saving: summer time in Paris is UTC+2, and a skipped 02:30 counts from 03:30", () => {
  expect(lastDailyDeadline("07:00", "Europe/Paris", at("2026-07-01T12:00:00Z")).at).toEqual(at("2026-07-01T05:00:00Z"));
  expect(lastDailyDeadline("02:30", "Europe/Paris", at("2026-03-29T12:00:00Z")).at).toEqual(at("2026-03-29T01:30:00Z"));
});

it("refuses a time that is not one", () => {
  expect(() => lastDailyDeadline("7am", "UTC", new Date())).toThrow(/HH:MM/);
});
