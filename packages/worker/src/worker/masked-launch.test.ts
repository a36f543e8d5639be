import type { ClaimedRun } from "@baton/core";
import { expect, test } from "vitest";
import type { Infrastructure, LaunchContext } from "../infrastructure.js";
import { withMaskedLaunch } from "./masked-launch.js";

const claimed = { flow_run: { id: "r1", name: "brave-otter" }, deployment: null, job_configuration: {} } as unknown as ClaimedRun;
const context: LaunchContext = { workerName: "w", apiUrl: undefined, credentials: {}, resolveSecret: async () => "s3cret-value-42", resolveVariable: async () => undefined };

test("a launch error quoting a value the infrastructure resolved from a secret is masked, cause dropped", async () => {
  const quoting: Infrastructure = {
    type: "docker",
    async launch(_claimed, ctx) {
      const value = await ctx.resolveSecret("tok");
      throw new Error(`the engine refused HostConfig: invalid value "${value}"`, { cause: new Error(value) });
    },
  };
  const error = await withMaskedLaunch(quoting).launch(claimed, context).catch((e: Error) => e);
  expect(error.message).toBe('the engine refused HostConfig: invalid value "****"');
  expect(error.stack).not.toContain("s3cret-value-42");
  expect(error.cause).toBeUndefined();
});

test("the last lines of a run that printed its secret are masked before they become the Crashed message", async () => {
  const printing: Infrastructure = {
    type: "process",
    async launch(_claimed, ctx) {
      const value = await ctx.resolveSecret("tok");
      const exit = { exitCode: 3, signal: null, tail: `token is ${value}` };
      return { exited: Promise.resolve(exit), terminate: async () => exit };
    },
  };
  const launched = await withMaskedLaunch(printing).launch(claimed, context);
  expect((await launched.exited).tail).toBe("token is ****");
  expect((await launched.terminate(0)).tail).toBe("token is ****");
});
