import { describe, expect, test } from "vitest";
import { ScheduleSpecSchema, nextRunTimes, parseIsoDuration } from "./index.js";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const day = 86_400_000;

describe("schedules", () => {
  test("a daily cron in Paris runs once a day across both daylight-saving changes", () => {
    const spec = ScheduleSpecSchema.parse({ cron: "30 2 * * *", timezone: "Europe/Paris" });
    const spring = nextRunTimes(spec, new Date("2026-03-27T12:00:00Z"), new Date(Date.parse("2026-03-27T12:00:00Z") + 4 * day), 10);
    expect(iso(spring)).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
    const autumn = nextRunTimes(spec, new Date("2026-10-23T12:00:00Z"), new Date(Date.parse("2026-10-23T12:00:00Z") + 4 * day), 10);
    expect(autumn).toHaveLength(4);
    expect(new Set(autumn.map((d) => d.toISOString().slice(0, 10))).size).toBe(4);
  });
  test("intervals count from their anchor; ISO-8601 durations are accepted", () => {
    expect(parseIsoDuration("PT1H30M")).toBe(5400);
    expect(parseIsoDuration("P1D")).toBe(86400);
    expect(parseIsoDuration("1 hour")).toBeUndefined();
    const spec = ScheduleSpecSchema.parse({ interval: "PT15M", anchor_date: "2026-01-01T00:05:00Z" });
    expect(iso(nextRunTimes(spec, new Date("2026-02-01T10:00:00Z"), new Date("2026-02-01T11:00:00Z"), 3))).toEqual([
      "2026-02-01T10:05:00.000Z", "2026-02-01T10:20:00.000Z", "2026-02-01T10:35:00.000Z",
    ]);
  });
  test("rrule in a time zone", () => {
    const spec = ScheduleSpecSchema.parse({ rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0", timezone: "Europe/Paris" });
    const times = nextRunTimes(spec, new Date("2026-03-20T00:00:00Z"), new Date("2026-04-07T00:00:00Z"), 10);
    expect(iso(times)).toEqual(["2026-03-23T08:00:00.000Z", "2026-03-30T07:00:00.000Z", "2026-04-06T07:00:00.000Z"]);
  });
  test("bad schedules name the problem", () => {
    const bad = (input: unknown) => ScheduleSpecSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    expect(bad({ cron: "61 * * * *" })).toMatch(/cron: "61 \* \* \* \*" is not a valid cron expression/);
    expect(bad({ cron: "0 * * * *", timezone: "Mars/Olympus" })).toMatch(/timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(bad({ cron: "0 * * * *", interval: 60 })).toMatch(/one of cron, interval or rrule, not cron and interval/);
    expect(bad({})).toMatch(/needs one of cron, interval or rrule/);
    expect(bad({ interval: "soon" })).toMatch(/interval: "soon" is not a number of seconds/);
    expect(bad({ rrule: "FREQ=SOMETIMES" })).toMatch(/rrule: not a valid RFC 5545 rule/);
  });
});
