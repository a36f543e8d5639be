import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseFlowRunId, parseStateFilter } from "./args.js";

describe("--state", () => {
  it("takes types in any case and the named states", () => {
    expect(parseStateFilter("failed, CRASHED")).toEqual(["FAILED", "CRASHED"]);
    expect(parseStateFilter("late,cached")).toEqual(["Late", "Cached"]);
  });

  it("refuses what is not a state, listing the choices", () => {
    expect(() => parseStateFilter("DONE")).toThrow(UsageError);
    expect(() => parseStateFilter("DONE")).toThrow(/COMPLETED/);
    expect(() => parseStateFilter(" , ")).toThrow(/names no state/);
  });
});

describe("flow run IDs", () => {
  it("must be UUIDs", () => {
    expect(parseFlowRunId("01a21d0a-e575-75c6-9396-97a7be1168d2")).toBe("01a21d0a-e575-75c6-9396-97a7be1168d2");
    expect(() => parseFlowRunId("vivid-heron")).toThrow(/baton flow-run ls/);
  });
});
