import { afterAll, beforeAll, expect, test, vi } from "vitest";
import type { ClaimedRun } from "@baton/core";
import { BatonClient } from "../client/index.js";
import { startEngineServer } from "../../test/engine-env.js";
import { ApiError } from "@baton/core";
import { ClaimLoop, refusesRunTokens } from "./claim-loop.js";

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

test("a server older than run_tokens refuses the field: the loop claims without it from then on", async () => {
  // How a server refuses a body field it does not know, asked for real (this one knows run_tokens, not this one).
  const response = await fetch(`${server.apiUrl}/work_pools/no-such-pool/claim`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ worker_name: "w", limit: 1, run_tokenz: true }) });
  const body = (await response.json()) as { code: string; message: string; issues: { path: string; message: string }[] };
  expect({ status: response.status, code: body.code, path: body.issues[0]?.path }).toEqual({ status: 422, code: "ValidationError", path: "body.run_tokenz" });
  const refusal = new ApiError(response.status, body.code, body.message.replaceAll("run_tokenz", "run_tokens"), body.issues.map((i) => ({ path: i.path.replace("run_tokenz", "run_tokens"), message: i.message.replaceAll("run_tokenz", "run_tokens") })));
  expect(refusesRunTokens(refusal)).toBe(true);
  expect(refusesRunTokens(new ApiError(422, "ValidationError", "ValidationError: body.limit: Too big", [{ path: "body.limit", message: "Too big" }]))).toBe(false);

  await client.call("createWorkPool", { body: { name: "old-server-pool", type: "process" } });
  const { deployment } = await client.call("upsertDeployment", { body: { flow_name: "old-flow", name: "old", entrypoint: "flows/f.ts:f", work_pool_name: "old-server-pool" } });
  const run = await client.call("runDeployment", { params: { id: deployment.id }, body: {} });
  // The real server behind a front that answers as the older one would to a claim with run_tokens.
  const asked: boolean[] = [];
  const older = {
    call: (async (...args: Parameters<BatonClient["call"]>) => {
      if (args[0] === "claimFlowRuns") {
        const withTokens = (args[1] as { body: { run_tokens?: boolean } }).body.run_tokens === true;
        asked.push(withTokens);
        if (withTokens) throw refusal;
      }
      return client.call(...args);
    }) as BatonClient["call"],
  } as BatonClient;
  const errors: unknown[] = [];
  let handledOne!: (c: ClaimedRun) => void;
  const handled = new Promise<ClaimedRun>((resolve) => (handledOne = resolve));
  const loop = new ClaimLoop({ client: older, pool: "old-server-pool", workerName: "old", limit: 1, waitSeconds: 1, runTokens: true, onError: (error) => errors.push(error), handle: async (c) => handledOne(c) });
  const claimed = await handled;
  loop.stopClaiming();
  await loop.done;
  expect(claimed.flow_run.id).toBe(run.id);
  expect(claimed.run_token).toBeUndefined();
  expect(asked.slice(0, 2)).toEqual([true, false]);
  expect(asked.slice(1).every((a) => !a)).toBe(true);
  expect(errors).toEqual([]);
}, 30_000);
