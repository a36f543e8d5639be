import { describe, expect, test } from "vitest";
import { formatDuration, formatLocal, formatRelative, formatUtc, isoToLocalInput, localInputToIso, localizeTimes } from "./time";

describe("time formatting", () => {
  test("local time in a given zone, UTC on hover", () => {
    expect(formatLocal("2026-11-30T23:30:05.123Z", "Europe/Paris")).toBe("2026-12-01 00:30:05");
    expect(formatLocal("2026-11-30T23:30:05.123Z", "America/New_York")).toBe("2026-11-30 18:30:05");
    expect(formatUtc("2026-11-30T23:30:05.123Z")).toBe("2026-11-30 23:30:05 UTC");
    expect(formatLocal("not a date")).toBe("not a date");
  });

  test("timestamps inside a server's message read like the page's other times", () => {
    expect(localizeTimes("Late: scheduled for 2026-11-30T23:30:05.123Z, now 2026-12-01T00:00:00+00:00", "Europe/Paris")).toBe("Late: scheduled for 2026-12-01 00:30:05, now 2026-12-01 01:00:00");
    expect(localizeTimes("due 2026-11-30T23:30:05Z", "UTC")).toBe("due 2026-11-30 23:30:05 UTC");
    expect(localizeTimes("no time here", "UTC")).toBe("no time here");
  });

  test("durations read at a glance", () => {
    expect(formatDuration(400)).toBe("0.4 s");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(185_000)).toBe("3 m 05 s");
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe("2 h 03 m");
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe("3 d 4 h");
    expect(formatDuration(-1)).toBe("–");
  });

  test("relative to now", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(formatRelative("2026-11-30T12:05:00Z", now)).toBe("in 5 m 00 s");
    expect(formatRelative("2026-11-30T11:59:48Z", now)).toBe("12 s ago");
  });

  test("datetime-local round trip keeps the minute", () => {
    const iso = localInputToIso("2026-11-30T14:05");
    expect(iso).toBeDefined();
    expect(isoToLocalInput(iso)).toBe("2026-11-30T14:05");
    expect(localInputToIso("")).toBeUndefined();
  });

  test("with UTC as the display zone, a typed wall time is UTC", () => {
    expect(localInputToIso("2026-11-30T14:05", "UTC")).toBe("2026-11-30T14:05:00.000Z");
    expect(isoToLocalInput("2026-11-30T14:05:00.000Z", "UTC")).toBe("2026-11-30T14:05");
  });
});
