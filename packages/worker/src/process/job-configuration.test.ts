import { expect, test } from "vitest";
import { parseProcessJobConfiguration } from "./job-configuration.js";

test("a process job configuration takes defaults, and a wrong value names its field", () => {
  expect(parseProcessJobConfiguration({ env: { N: 3 } })).toMatchObject({ command: "baton flow-run execute", env: { N: "3" }, stream_output: true });
  expect(() => parseProcessJobConfiguration({ stream_output: "yes" })).toThrow(/stream_output/);
});
