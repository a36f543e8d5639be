import { afterAll, beforeAll, expect, test } from "vitest";
import type { ClaimedRun } from "@baton/core";
import { BatonClient } from "../client/index.js";
import { startTestServer } from "../../test/engine-env.js";
import { ClaimLoop } from "./claim-loop.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let client: BatonClient;

beforeAll(async () => {
  server = await startTestServer("sqlite");
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
  let handledOne!: () => void;
  const handled = new Promise<void>((resolve) => (handledOne = resolve));
  const loop = new ClaimLoop({
    client,
    pool: "hold-pool",
    workerName: "holder",
    limit: 1,
    waitSeconds: 1,
    onError: () => {},
    handle: async (c) => {
      claimed.push(c);
      handledOne();
    },
  });
  let release!: () => void;
  loop.hold(new Promise<void>((resolve) => (release = resolve)));
  // The loop's first long poll went out before the hold (it asked for one run): let it end empty.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const run = await client.call("runDeployment", { params: { id: deployment.id }, body: {} });
  // Long enough for several one-second long polls, had the held slot been ignored.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(claimed).toEqual([]);
  release();
  await handled;
  loop.stopClaiming();
  await loop.done;
  expect(claimed.map((c) => c.flow_run.id)).toEqual([run.id]);
}, 30_000);
