import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flow, runFlow, task, taskInputHash } from "../index.js";
import { clearMemoryCache } from "./index.js";
import { ALL_MODES, setUpEngine, taskRunStateNames, taskRunsOf, type EngineEnv } from "../../test/engine-env.js";

describe.each(ALL_MODES)("cached and persisted results (%s)", (mode) => {
  let env: EngineEnv;
  beforeEach(async () => {
    env = await setUpEngine(mode);
    clearMemoryCache();
  });
  afterEach(async () => {
    await env.close();
  });

  it("a call with a cached key returns the stored value, recorded Completed named Cached, from memory and from disk", async () => {
    let calls = 0;
    const fetchRate = task(
      { name: "fetch-rate", cacheKeyFn: (ctx, [currency]) => `${ctx.taskName}:${currency}`, cacheExpirationSeconds: 3600 },
      (currency: string) => {
        calls += 1;
        return { currency, rate: 1.1, at: new Date("2026-01-01T00:00:00Z"), calls };
      },
    );
    const f = flow("rates", async () => [await fetchRate("EUR"), await fetchRate("EUR"), await fetchRate("USD")]);
    const first = await runFlow(f, {});
    expect(calls).toBe(2);
    const [a, b, c] = first.result as { calls: number; at: Date }[];
    expect(b).toEqual(a);
    expect(b!.at).toBeInstanceOf(Date); // the real value, not its JSON
    expect(c!.calls).toBe(2);

    const runs = await taskRunsOf(env.client, first.flowRunId);
    expect(runs.map((r) => r.state_name)).toEqual(["Completed", "Cached", "Completed"]);
    expect(await taskRunStateNames(env.client, runs[1]!.id)).toEqual(["PENDING/Pending", "COMPLETED/Cached"]);
    expect(runs[1]!.cache_key).toBe("fetch-rate:EUR");
    expect(runs[1]!.state.state_details.cache_expiration).toBeDefined();

    clearMemoryCache(); // a new process would only have the disk
    const second = await runFlow(f, {});
    expect(calls).toBe(2);
    expect((second.result as { at: Date }[])[0]!.at).toBeInstanceOf(Date);
    expect((await taskRunsOf(env.client, second.flowRunId)).map((r) => r.state_name)).toEqual(["Cached", "Cached", "Cached"]);
    expect(readdirSync(join(env.home, "results", "cache")).length).toBe(2);
  });

  it("taskInputHash keys calls by their arguments", async () => {
    let calls = 0;
    const add = task({ name: "add", cacheKeyFn: taskInputHash }, (a: number, b: { c: number }) => (calls += 1, a + b.c));
    const f = flow("hashing", async () => [await add(1, { c: 2 }), await add(1, { c: 2 }), await add(2, { c: 2 })]);
    const outcome = await runFlow(f, {});
    expect(outcome.result).toEqual([3, 3, 4]);
    expect(calls).toBe(2);
    expect((await taskRunsOf(env.client, outcome.flowRunId)).map((r) => r.state_name)).toEqual(["Completed", "Cached", "Completed"]);
  });

  it("an expired cache entry runs the task again", async () => {
    let calls = 0;
    const t = task({ name: "short-lived", cacheKeyFn: () => "k", cacheExpirationSeconds: 0.05 }, () => ++calls);
    const f = flow("expiring", async () => {
      const first = await t();
      await new Promise((r) => setTimeout(r, 80));
      return [first, await t()];
    });
    expect((await runFlow(f, {})).result).toEqual([1, 2]);
  });

  it("a retried flow run reuses persisted results: the call that succeeded is Cached, not run again", async () => {
    let extractCalls = 0;
    let loadCalls = 0;
    const extract = task({ name: "extract", persistResult: true }, (n: number) => {
      extractCalls += 1;
      return Array.from({ length: n }, (_, i) => BigInt(i));
    });
    const load = task("load", (rows: bigint[]) => {
      loadCalls += 1;
      if (loadCalls === 1) throw new Error("the warehouse is down");
      return rows.length;
    });
    const f = flow({ name: "persisting", retries: 1, retryDelaySeconds: 0.01 }, async () => load(await extract(3)));
    const outcome = await runFlow(f, {});
    expect(outcome.state.type).toBe("COMPLETED");
    expect(outcome.result).toBe(3);
    expect(extractCalls).toBe(1);
    const runs = await taskRunsOf(env.client, outcome.flowRunId);
    expect(runs.map((r) => `${r.name}:${r.state_name}`)).toEqual(["extract-0:Completed", "load-0:Failed", "extract-0:Cached", "load-0:Completed"]);
    expect(existsSync(join(env.home, "results", "flow-runs", outcome.flowRunId))).toBe(true);
  });
});
