import { describe, expect, it } from "vitest";
import { formatLogRecord } from "./log-stream.js";

describe("text log lines", () => {
  it("turns a pino record into one readable line, with the error's stack when there is one", () => {
    const line = formatLogRecord(JSON.stringify({ level: 30, time: Date.parse("2026-01-31T12:00:00.000Z"), pid: 1, msg: "Baton server listening on http://127.0.0.1:4200" }));
    expect(line).toBe("2026-01-31T12:00:00.000Z INFO  Baton server listening on http://127.0.0.1:4200\n");
    const failed = formatLogRecord(JSON.stringify({ level: 50, time: 0, msg: "request failed", reqId: "req-1", err: { message: "boom", stack: "Error: boom\n    at x" } }));
    expect(failed).toBe("1970-01-01T00:00:00.000Z ERROR request failed (request req-1)\nError: boom\n    at x\n");
    expect(formatLogRecord("not json")).toBe("not json\n");
  });
});
