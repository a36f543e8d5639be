import { afterAll, beforeAll, expect, test, vi } from "vitest";
import type { ClaimedRun } from "@baton/core";
import { BatonClient } from "../client/index.js";
import { startEngineServer } from "../../test/engine-env.js";
import { ClaimLoop } from "./claim-loop.js";

let server: Awaited<ReturnType<typeof startEngineServer>>;
let client: BatonClient;

beforeAll(async () => {
  server = await startEngineServer("sqlite");
  client = new BatonClient({ apiUrl: server.apiUrl });
}, 60_000);
afterAll(async () => {
  await client?.close();
  await server?.server.close();
  await server?.db.drop();
});

test("a held run (adopted after a restart) takes a slot: with limit 1 nothing is claimed until it settles", async () => {
  await client.call("createWorkPool", { body: { name: "hold-pool", type: "process" } });
  const { deployment } = await client.call("upsertDeployment", { body: { flow_name: "hold-flow", name: "hold", entrypoint: "flows/f.ts:f", work_pool_name: "hold-pool" } });
  const claimed: ClaimedRun[] = [];
  const errors: unknown[] = [];
  // The real client, counting the loop's long polls: when one ends is the state the test waits on.
  const polls = { started: 0, ended: 0 };
  const counting = {
    call: (async (...args: Parameters<BatonClient["call"]>) => {
      if (args[0] !== "claimFlowRuns") return client.call(...args);
      polls.started++;
      try {
        return await client.call(...args);
      } finally {
        polls.ended++;
      }
    }) as BatonClient["call"],
  } as BatonClient;
  let handledOne!: () => void;
  const handled = new Promise<void>((resolve) => (handledOne = resolve));
  const loop = new ClaimLoop({
    client: counting,
    pool: "hold-pool",
    workerName: "holder",
    limit: 1,
    waitSeconds: 1,
    onError: (error) => errors.push(error),
    handle: async (c) => {
      claimed.push(c);
      handledOne();
    },
  });
  let release!: () => void;
  loop.hold(new Promise<void>((resolve) => (release = resolve)));
  // The loop's first long poll went out before the hold (it asked for one run): it ends empty.
  await vi.waitFor(() => expect(polls.ended).toBe(1), { timeout: 20_000, interval: 20 });
  const run = await client.call("runDeployment", { params: { id: deployment.id }, body: {} });
  // Had the held slot been ignored, the loop would poll again at once and claim the run on its
  // wake-up; the window only gives such a poll time to show, no state of the loop waits on it.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(claimed).toEqual([]);
  expect(polls.started).toBe(1);
  release();
  await handled;
  loop.stopClaiming();
  await loop.done;
  expect(claimed.map((c) => c.flow_run.id)).toEqual([run.id]);
  expect(errors).toEqual([]);
}, 30_000);
