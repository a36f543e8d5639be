import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseParamFlag, parseParamsJson, parseRunParameters } from "./params.js";

describe("--param", () => {
  it("reads JSON values as JSON and anything else as text", () => {
    expect(parseParamFlag("limit=2")).toEqual(["limit", 2]);
    expect(parseParamFlag("uppercase=false")).toEqual(["uppercase", false]);
    expect(parseParamFlag("name=x")).toEqual(["name", "x"]);
    expect(parseParamFlag('items=["a","b"]')).toEqual(["items", ["a", "b"]]);
    expect(parseParamFlag('quoted="2"')).toEqual(["quoted", "2"]);
    expect(parseParamFlag("empty=")).toEqual(["empty", ""]);
    expect(parseParamFlag("expr=a=b")).toEqual(["expr", "a=b"]);
  });

  it("refuses a flag without a name or a value, saying how to write it", () => {
    expect(() => parseParamFlag("limit")).toThrow(UsageError);
    expect(() => parseParamFlag("limit")).toThrow(/--param limit=value/);
    expect(() => parseParamFlag("=2")).toThrow(/names no parameter/);
  });
});

describe("--params", () => {
  it("takes a JSON object", () => {
    expect(parseParamsJson('{"limit":2,"uppercase":false}')).toEqual({ limit: 2, uppercase: false });
  });

  it.each([
    ["[1,2]", /not an array/],
    ["3", /not a number/],
    ["null", /not null/],
    ["{limit:2}", /not valid JSON/],
  ])("refuses %s", (text, message) => {
    expect(() => parseParamsJson(text)).toThrow(UsageError);
    expect(() => parseParamsJson(text)).toThrow(message);
  });

  it("merges with --param, which wins", () => {
    expect(parseRunParameters(["limit=5", "name=x"], '{"limit":2,"uppercase":true}')).toEqual({ limit: 5, uppercase: true, name: "x" });
    expect(parseRunParameters()).toEqual({});
  });
});
