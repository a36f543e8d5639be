import { describe, expect, it } from "vitest";
import { scheduleFromFlags } from "./schedule-spec.js";

describe("scheduleFromFlags", () => {
  it("reads --interval as seconds, a CLI duration or ISO 8601, and the time zone defaults to UTC", () => {
    expect(scheduleFromFlags({ interval: "3600" })).toMatchObject({ interval: 3600, timezone: "UTC", active: true });
    expect(scheduleFromFlags({ interval: "1h30m" }).interval).toBe(5400);
    expect(scheduleFromFlags({ interval: "PT2H" }).interval).toBe(7200);
    expect(scheduleFromFlags({ interval: "10m", anchorDate: "2026-01-01T00:00:17Z" })).toMatchObject({ interval: 600, anchor_date: "2026-01-01T00:00:17Z" });
    expect(scheduleFromFlags({ cron: "0 9 * * *", timezone: "Europe/Paris" })).toMatchObject({ cron: "0 9 * * *", timezone: "Europe/Paris" });
  });

  it("names the flag of what the server's schema refuses", () => {
    expect(() => scheduleFromFlags({ cron: "0 9 31 2 *" })).toThrow(/^--cron: "0 9 31 2 \*" never fires/);
    expect(() => scheduleFromFlags({ interval: "1.5" })).toThrow(/^--interval: "1.5" is not a number of seconds/);
    expect(() => scheduleFromFlags({ rrule: "FREQ=DAILY", timezone: "Nowhere/Town" })).toThrow(/^--timezone: "Nowhere\/Town" is not an IANA time zone/);
    expect(() => scheduleFromFlags({ cron: "0 9 * * *", anchorDate: "2026-01-01T00:00:00Z" })).toThrow(/^--anchor-date goes with --interval/);
    expect(() => scheduleFromFlags({ rrule: "FREQ=DAILY", interval: "60" })).toThrow(/^--interval and --rrule cannot be used together/);
  });
});
