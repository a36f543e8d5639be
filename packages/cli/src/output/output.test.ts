import { describe, expect, it } from "vitest";
import { colorsWanted, createColors, visibleLength } from "./colors.js";
import { formatDuration, formatTime, levelName, runDuration } from "./format.js";
import { renderFields, renderTable } from "./table.js";

describe("tables", () => {
  it("pads columns to the widest cell, ignoring color codes, with no trailing spaces", () => {
    const green = createColors(true).green;
    const table = renderTable(["ID", "STATE", "NOTE"], [["1", green("Completed"), ""], ["22", "Failed", "boom"]]);
    expect(table.split("\n")).toEqual(["ID  STATE      NOTE", `1   ${green("Completed")}`, "22  Failed     boom"]);
    expect(visibleLength(green("Completed"))).toBe(9);
  });

  it("aligns fields", () => {
    expect(renderFields([["ID", "x"], ["Run count", "1"]])).toBe("ID:        x\nRun count: 1");
  });
});

describe("colors", () => {
  it("are off with NO_COLOR, off when not a terminal, on when forced", () => {
    expect(colorsWanted({ NO_COLOR: "1" }, true)).toBe(false);
    expect(colorsWanted({}, false)).toBe(false);
    expect(colorsWanted({}, true)).toBe(true);
    expect(colorsWanted({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(colorsWanted({ TERM: "dumb" }, true)).toBe(false);
    expect(createColors(false).red("x")).toBe("x");
  });
});

describe("formats", () => {
  it("durations", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_340)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(7_260_000)).toBe("2h 01m");
    expect(runDuration(null, null)).toBe("-");
    expect(runDuration("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.500Z")).toBe("1.5s");
    expect(runDuration("2026-01-01T00:00:00.000Z", null, Date.parse("2026-01-01T00:00:02.000Z"))).toBe("2.0s");
  });

  it("times in UTC, with milliseconds for logs", () => {
    expect(formatTime("2026-11-27T12:33:57.123Z")).toBe("2026-11-27 12:33:57");
    expect(formatTime("2026-11-27T13:33:57.123+01:00", { milliseconds: true })).toBe("2026-11-27 12:33:57.123");
    expect(formatTime(null)).toBe("-");
  });

  it("log levels by Python's numbers", () => {
    expect(levelName(20)).toBe("INFO");
    expect(levelName(40)).toBe("ERROR");
    expect(levelName(25)).toBe("INFO");
    expect(levelName(5)).toBe("DEBUG");
  });
});
