import { describe, expect, it } from "vitest";
import { parseEntrypoint } from "./entrypoint.js";
import { EntrypointInvalid } from "./errors.js";

describe("parseEntrypoint", () => {
  it("splits the file from the export", () => {
    expect(parseEntrypoint("flows/etl.ts:etlFlow")).toEqual({ file: "flows/etl.ts", exportName: "etlFlow" });
    expect(parseEntrypoint("/abs/flows/etl.mjs:$flow_1")).toEqual({ file: "/abs/flows/etl.mjs", exportName: "$flow_1" });
  });

  it("keeps a Windows drive letter in the file", () => {
    expect(parseEntrypoint("C:\\work\\flows\\etl.ts:etlFlow")).toEqual({ file: "C:\\work\\flows\\etl.ts", exportName: "etlFlow" });
  });

  it.each([
    ["flows/etl.ts", /names no export/],
    ["flows/etl.ts:", /names no export/],
    [":etlFlow", /names no file/],
    ["C:etlFlow", /names no file/],
    ["flows/etl.ts:etl-flow", /not a JavaScript identifier/],
    ["flows/etl.py:etlFlow", /"\.py" file; Baton loads \.ts/],
    ["flows/etl:etlFlow", /extensionless file/],
  ])("rejects %s with the expected shape", (entrypoint, reason) => {
    const error = (() => {
      try {
        parseEntrypoint(entrypoint);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EntrypointInvalid);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toContain("path/to/file.ts:exportName");
  });
});
