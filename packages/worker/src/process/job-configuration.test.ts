import { expect, test } from "vitest";
import type { LaunchContext } from "../infrastructure.js";
import { parseProcessJobConfiguration, resolveRuntimeReferences } from "./job-configuration.js";

const context: LaunchContext = {
  workerName: "w",
  apiUrl: undefined,
  credentials: {},
  resolveSecret: async (name) => `value-of-${name}`,
  resolveVariable: async (name) => ({ region: name }),
};

test("secrets, variables and $ENV in a job configuration are resolved at launch, on the worker", async () => {
  process.env.BATON_TEST_JOB_HOST = "db.internal";
  const { config, secretValues } = await resolveRuntimeReferences(
    { command: "baton flow-run execute", env: { TOKEN: "{{ baton.secrets.api-token }}", HOST: "{{ $BATON_TEST_JOB_HOST }}", GONE: "{{ $BATON_TEST_NOT_SET }}" }, labels: "{{ baton.variables.labels }}" },
    context,
  );
  expect(config).toEqual({ command: "baton flow-run execute", env: { TOKEN: "value-of-api-token", HOST: "db.internal" }, labels: { region: "labels" } });
  expect(secretValues).toEqual(["value-of-api-token"]);
});

test("a process job configuration takes defaults, and a wrong value names its field", () => {
  expect(parseProcessJobConfiguration({ env: { N: 3 } })).toMatchObject({ command: "baton flow-run execute", env: { N: "3" }, stream_output: true });
  expect(() => parseProcessJobConfiguration({ stream_output: "yes" })).toThrow(/stream_output/);
});
