import { describe, expect, test } from "vitest";
import { filterLogs, levelName, logsAsText, mergeLogs, type LogLine } from "./logs";

const line = (id: string, timestamp: string, level = 20, message = `line ${id}`): LogLine => ({ id, level, name: "baton.flow", message, timestamp, task_run_id: null });

describe("log lines", () => {
  test("live lines merge without duplicates, in time order", () => {
    const a = line("a", "2026-11-30T12:00:01Z");
    const b = line("b", "2026-11-30T12:00:02Z");
    const c = line("c", "2026-11-30T12:00:03Z");
    expect(mergeLogs([a, b], [b, c, c]).map((l) => l.id)).toEqual(["a", "b", "c"]);
    expect(mergeLogs([a, c], [b]).map((l) => l.id)).toEqual(["a", "b", "c"]);
    const same = [a];
    expect(mergeLogs(same, [a])).toBe(same);
  });

  test("level and search filters; text for download", () => {
    const lines = [line("a", "2026-11-30T12:00:01Z", 10, "debugging"), line("b", "2026-11-30T12:00:02Z", 40, "Loaded item: ALPHA")];
    expect(filterLogs(lines, 20, "").map((l) => l.id)).toEqual(["b"]);
    expect(filterLogs(lines, 0, "alpha").map((l) => l.id)).toEqual(["b"]);
    expect(levelName(50)).toBe("CRITICAL");
    expect(logsAsText(lines)).toBe("2026-11-30T12:00:01Z DEBUG    baton.flow | debugging\n2026-11-30T12:00:02Z ERROR    baton.flow | Loaded item: ALPHA\n");
  });
});
