import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concurrency, flow, rateLimit, runFlow, task } from "../index.js";
import { setUpEngine, type EngineEnv } from "../../test/engine-env.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** [start, end] of each piece of work, to check that no two overlapped. */
function overlaps(spans: Array<[number, number]>): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let count = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] < sorted[i - 1]![1]) count++;
  return count;
}

/** concurrency(), rateLimit() and tag limits from flow code (issue 16 part 3), against a real server. */
describe.each(["http sqlite", "http postgresql"] as const)("global limits in flow code (%s)", (mode) => {
  let env: EngineEnv;
  beforeAll(async () => {
    env = await setUpEngine(mode);
    for (const body of [
      { name: "warehouse", limit: 1 },
      { name: "crm-api", limit: 2, slot_decay_per_second: 5 },
      { name: "tag:db", limit: 1 },
    ]) await env.client.call("createConcurrencyLimit", { body });
  }, 60_000);
  afterAll(async () => env?.close());

  it("concurrency('warehouse', 1, fn) lets one flow run in at a time across runs, and gives the slot back", async () => {
    const spans: Array<[number, number]> = [];
    const load = flow("loads-warehouse", async () =>
      concurrency("warehouse", 1, async () => {
        const start = Date.now();
        await sleep(250);
        spans.push([start, Date.now()]);
        return "loaded";
      }),
    );
    const outcomes = await Promise.all([1, 2, 3].map(() => runFlow(load, {})));
    expect(outcomes.map((o) => o.result)).toEqual(["loaded", "loaded", "loaded"]);
    expect(spans).toHaveLength(3);
    expect(overlaps(spans)).toBe(0);
    expect((await env.client.call("readConcurrencyLimit", { params: { name: "warehouse" } })).active_slots).toBe(0);
  });

  it("a task tagged db holds the tag:db limit across flow runs; an error inside still releases it", async () => {
    const spans: Array<[number, number]> = [];
    const query = task({ name: "query", tags: ["db", "no-limit-tag"] }, async (fail: boolean) => {
      const start = Date.now();
      await sleep(200);
      spans.push([start, Date.now()]);
      if (fail) throw new Error("query failed");
      return 1;
    });
    const reads = flow("reads-db", async (p: { fail: boolean }) => query(p.fail));
    const outcomes = await Promise.all([true, false, false].map((fail) => runFlow(reads, { fail })));
    expect(outcomes.map((o) => o.state.type)).toEqual(["FAILED", "COMPLETED", "COMPLETED"]);
    expect(overlaps(spans)).toBe(0);
    expect((await env.client.call("readConcurrencyLimit", { params: { name: "tag:db" } })).active_slots).toBe(0);
  });

  it("rateLimit('crm-api') lets a burst of 2 through at once, then 5 a second", async () => {
    const times: number[] = [];
    const calls = flow("calls-crm", async () => {
      for (let i = 0; i < 5; i++) {
        await rateLimit("crm-api");
        times.push(Date.now());
      }
    });
    expect((await runFlow(calls, {})).state.type).toBe("COMPLETED");
    // Three more at 5/s after the burst: the server holds the last one at least ~0.6 s after the first.
    expect(times[4]! - times[0]!).toBeGreaterThanOrEqual(500);
    // The burst of two waited for no slot: its gap is one call, shorter than two slots' decay
    // (a clock bound on the burst alone fails on a loaded machine, where one call can take a second).
    expect(times[1]! - times[0]!).toBeLessThan(times[4]! - times[2]!);
  });

  it("an unknown limit fails the call with the command that creates it", async () => {
    const unknown = flow("unknown-limit", async () => concurrency("nowhere", 1, () => 1));
    const outcome = await runFlow(unknown, {});
    expect(outcome.state.type).toBe("FAILED");
    expect(String((outcome.error as Error).message)).toContain("baton concurrency-limit create nowhere --limit N");
  });
});
