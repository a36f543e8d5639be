import { describe, expect, test } from "vitest";
import { RRULE_DEFAULT_ANCHOR, ScheduleSpecSchema, nextRunTimes, parseIsoDuration } from "./index.js";

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
  test("clocks going back: a repeated wall time fires once, at its first occurrence (Athens, east of UTC)", () => {
    const spec = ScheduleSpecSchema.parse({ cron: "0 3 * * *", timezone: "Europe/Athens" });
    expect(iso(nextRunTimes(spec, new Date("2026-10-24T12:00:00Z"), new Date("2026-10-27T12:00:00Z"), 5))).toEqual([
      "2026-10-25T00:00:00.000Z", // 03:00+03:00, not 03:00+02:00
      "2026-10-26T01:00:00.000Z",
      "2026-10-27T01:00:00.000Z",
    ]);
  });
  test("clocks going forward: every wall time in the gap fires, moved forward by the gap (Athens; Troll's two hours)", () => {
    const athens = ScheduleSpecSchema.parse({ cron: "*/20 3 * * *", timezone: "Europe/Athens" });
    expect(iso(nextRunTimes(athens, new Date("2026-03-28T12:00:00Z"), new Date("2026-03-29T12:00:00Z"), 5))).toEqual([
      "2026-03-29T01:00:00.000Z", "2026-03-29T01:20:00.000Z", "2026-03-29T01:40:00.000Z", // 04:00, 04:20, 04:40 +03:00
    ]);
    const troll = ScheduleSpecSchema.parse({ cron: "30 2 * * *", timezone: "Antarctica/Troll" });
    expect(iso(nextRunTimes(troll, new Date("2026-03-28T12:00:00Z"), new Date("2026-03-30T12:00:00Z"), 5))).toEqual(["2026-03-29T02:30:00.000Z", "2026-03-30T00:30:00.000Z"]);
  });
  test("the same policy west of UTC (New York, hourly): the repeated hour fires once", () => {
    const spec = ScheduleSpecSchema.parse({ cron: "0 * * * *", timezone: "America/New_York" });
    const times = nextRunTimes(spec, new Date("2026-11-01T04:30:00Z"), new Date("2026-11-01T09:30:00Z"), 10);
    // 01:00 EDT (05:00Z) fires; 01:00 EST (06:00Z) does not; then 02:00 EST.
    expect(iso(times)).toEqual(["2026-11-01T05:00:00.000Z", "2026-11-01T07:00:00.000Z", "2026-11-01T08:00:00.000Z", "2026-11-01T09:00:00.000Z"]);
  });
  test("next times are strictly after the time asked from, even inside a repeated hour", () => {
    const spec = ScheduleSpecSchema.parse({ cron: "30 1 * * *", timezone: "America/New_York" });
    const asked = new Date("2025-11-02T06:00:00Z"); // 01:00 EST, after 01:30 EDT has passed
    const [next] = nextRunTimes(spec, asked, new Date("2025-11-05T00:00:00Z"), 1);
    expect(next!.getTime()).toBeGreaterThan(asked.getTime());
    expect(next!.toISOString()).toBe("2025-11-03T06:30:00.000Z");
  });
  test("5L is the last Friday of the month, not every Friday; L, W and # mean what Quartz says", () => {
    const times = (cron: string, n = 3) => iso(nextRunTimes(ScheduleSpecSchema.parse({ cron }), new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"), n));
    expect(times("0 0 * * 5L")).toEqual(["2026-01-30T00:00:00.000Z", "2026-02-27T00:00:00.000Z", "2026-03-27T00:00:00.000Z"]);
    expect(times("0 0 L * *")).toEqual(["2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z", "2026-03-31T00:00:00.000Z"]);
    expect(times("0 0 15W * *")).toEqual(["2026-01-15T00:00:00.000Z", "2026-02-16T00:00:00.000Z", "2026-03-16T00:00:00.000Z"]);
    expect(times("0 0 * * MON#2")).toEqual(["2026-01-12T00:00:00.000Z", "2026-02-09T00:00:00.000Z", "2026-03-09T00:00:00.000Z"]);
  });
  test("day_or: false needs both day fields, as Prefect's option does", () => {
    const friday13 = ScheduleSpecSchema.parse({ cron: "0 0 13 * FRI", day_or: false });
    expect(iso(nextRunTimes(friday13, new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z"), 5))).toEqual(["2026-02-13T00:00:00.000Z", "2026-03-13T00:00:00.000Z", "2026-11-13T00:00:00.000Z"]);
    const either = ScheduleSpecSchema.parse({ cron: "0 0 13 * FRI" });
    expect(nextRunTimes(either, new Date("2026-01-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"), 10)).toHaveLength(6);
  });
  test("an rrule without DTSTART has a stable anchor: passes a few seconds apart compute the same whole-second times", () => {
    const spec = ScheduleSpecSchema.parse({ rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", timezone: "Europe/Paris" });
    const until = new Date("2026-05-01T00:00:00Z");
    const passes = ["2026-03-20T14:00:01Z", "2026-03-20T14:00:37Z", "2026-03-20T14:00:58.250Z"].map((t) => iso(nextRunTimes(spec, new Date(t), until, 100)));
    expect(passes[1]).toEqual(passes[0]);
    expect(passes[2]).toEqual(passes[0]);
    expect(passes[0]!.slice(0, 2)).toEqual(["2026-03-23T08:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
    expect(RRULE_DEFAULT_ANCHOR).toBe("2020-01-01T00:00:00");
  });
  test("an rrule without COUNT computes from near the time asked the same times as from its start", () => {
    const cases: [string, string][] = [
      ["FREQ=MINUTELY;INTERVAL=7", "2020-01-08T00:00:00Z"],
      ["FREQ=HOURLY;INTERVAL=5;BYMINUTE=10", "2020-09-01T00:00:00Z"],
      ["FREQ=DAILY;INTERVAL=3;BYHOUR=4,16", "2023-06-01T00:00:00Z"],
      ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR", "2026-06-01T00:00:00Z"],
      ["FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR", "2026-06-01T00:00:00Z"],
      ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2026-06-01T00:00:00Z"],
    ];
    for (const [rule, from] of cases) {
      const after = new Date(from);
      const until = new Date("2040-01-01T00:00:00Z");
      const moved = iso(nextRunTimes(ScheduleSpecSchema.parse({ rrule: rule, timezone: "America/New_York" }), after, until, 6));
      // COUNT makes the rule walk every occurrence from 2020: the reference answer.
      const walked = iso(nextRunTimes(ScheduleSpecSchema.parse({ rrule: `${rule};COUNT=5000000`, timezone: "America/New_York" }), after, until, 6));
      expect(moved, rule).toEqual(walked);
    }
  });
  test("scheduled times are whole seconds", () => {
    const spec = ScheduleSpecSchema.parse({ interval: 90, anchor_date: "2026-01-01T00:00:00.250Z" });
    expect(nextRunTimes(spec, new Date("2026-01-01T00:10:00.100Z"), new Date("2026-01-01T01:00:00Z"), 5).every((t) => t.getMilliseconds() === 0)).toBe(true);
    expect(ScheduleSpecSchema.safeParse({ interval: 1.5 }).error?.issues[0]?.message).toMatch(/not a whole number of seconds/);
  });
  test("bad schedules name the problem", () => {
    const bad = (input: unknown) => ScheduleSpecSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    expect(bad({ cron: "61 * * * *" })).toMatch(/cron: "61 \* \* \* \*" is not a valid cron expression/);
    expect(bad({ cron: "0 * * * *", timezone: "Mars/Olympus" })).toMatch(/timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(bad({ cron: "0 * * * *", interval: 60 })).toMatch(/one of cron, interval or rrule, not cron and interval/);
    expect(bad({})).toMatch(/needs one of cron, interval or rrule/);
    expect(bad({ interval: "soon" })).toMatch(/interval: "soon" is not a number of seconds/);
    expect(bad({ rrule: "FREQ=SOMETIMES" })).toMatch(/rrule: not a valid RFC 5545 rule \(FREQ "SOMETIMES" is not one of YEARLY/);
    expect(bad({ cron: "0 0 * * L" })).toMatch(/day of week "L" alone is ambiguous/);
    expect(bad({ cron: "0 0 31 2 *" })).toMatch(/cron: "0 0 31 2 \*" never fires/);
    expect(bad({ cron: "0 0 1 * MON", day_or: false, timezone: "UTC" })).toBeUndefined();
    expect(bad({ interval: 60, day_or: false })).toMatch(/day_or: day_or goes with cron/);
    expect(bad({ rrule: "DTSTART;TZID=Mars/Olympus:20260101T090000\nRRULE:FREQ=DAILY" })).toMatch(/TZID "Mars\/Olympus" is not an IANA time zone/);
  });
});
