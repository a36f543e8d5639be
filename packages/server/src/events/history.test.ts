import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { openSse } from "./sse-client.js";

interface Item {
  id: string;
  state_id: string;
  state_type: string;
  timestamp: string;
  deployment_id: string | null;
  work_pool_name: string | null;
  flow_id: string;
}

describe.each(DATABASE_KINDS)("event history (GET /api/events/history) on %s", (kind) => {
  let app: TestApp;
  const pools = { a: `hist-a-${kind}`, b: `hist-b-${kind}` };
  const deployments: Record<"a" | "b", string> = { a: "", b: "" };
  const runs: Record<"a" | "b" | "plain", { id: string; flow_id: string }> = {} as never;
  const sameMillisecond = "2030-01-01T00:00:00.000Z";
  const tied: string[] = [];

  const get = (query: string) => app.api("GET", `/events/history${query ? `?${query}` : ""}`);
  /** Every page of a query, following next_cursor, and how many pages it took. */
  async function walk(query: string, limit: number): Promise<{ items: Item[]; pages: number }> {
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await get(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      items.push(...answer.body.items);
      cursor = answer.body.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    return { items, pages };
  }

  beforeAll(async () => {
    app = await openTestApp(kind);
    for (const which of ["a", "b"] as const) {
      expect((await app.api("POST", "/work_pools", { name: pools[which], type: "process" })).status).toBe(201);
      const answer = await app.api("POST", "/deployments", { flow_name: `hist-flow-${which}`, name: "dep", entrypoint: "f.ts:f", work_pool_name: pools[which] });
      deployments[which] = answer.body.deployment.id;
      const run = await app.api("POST", `/deployments/${deployments[which]}/runs`, {});
      runs[which] = run.body;
    }
    runs.plain = await newFlowRun(app, { flow_name: `hist-plain-${kind}` });
    for (const which of ["a", "b", "plain"] as const) {
      expect((await app.api("POST", `/flow_runs/${runs[which].id}/set_state`, { state: { type: "RUNNING" }, force: true })).status).toBe(200);
    }
    // Five states of one run in one millisecond (a claim stamps a batch with one time): a page
    // boundary must fall between them without repeating or losing one.
    for (let i = 0; i < 5; i++) tied.push(uuidv7());
    await app.db.db
      .insertInto("flow_run_states")
      .values(tied.map((id) => ({ id, flow_run_id: runs.plain.id, type: "RUNNING" as const, name: "Running", message: null, timestamp: sameMillisecond, state_details: "{}", data: null })))
      .execute();
  }, 60_000);
  afterAll(() => app.cleanup());

  it("lists every run's state changes newest first, the same across pages of any size, ties in one millisecond included", async () => {
    const all = await walk("", 500);
    expect(all.pages).toBe(1);
    const order = (a: Item, b: Item) => (a.timestamp === b.timestamp ? (a.state_id < b.state_id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1);
    expect(all.items).toEqual([...all.items].sort(order));
    // 3 runs x (creation, Pending or Scheduled..., Running) + the 5 tied: at least 11, all distinct.
    expect(new Set(all.items.map((i) => i.state_id)).size).toBe(all.items.length);
    expect(all.items.slice(0, 5).map((i) => i.state_id)).toEqual([...tied].sort().reverse());
    expect(all.items[0]).toMatchObject({ id: runs.plain.id, state_type: "RUNNING", timestamp: sameMillisecond, deployment_id: null, work_pool_name: null });
    for (const limit of [1, 2, 3]) {
      const paged = await walk("", limit);
      expect(paged.items.map((i) => i.state_id), `pages of ${limit}`).toEqual(all.items.map((i) => i.state_id));
      // The last page says there is no more: no empty page to fetch.
      expect(paged.pages).toBe(Math.ceil(all.items.length / limit));
    }
  });

  it("filters by run, flow, deployment, pool and time", async () => {
    const only = async (query: string) => (await walk(query, 500)).items;
    const a = await only(`deployment_id=${deployments.a}`);
    expect(a.length).toBeGreaterThan(0);
    expect(new Set(a.map((i) => i.id))).toEqual(new Set([runs.a.id]));
    expect(a.map((i) => i.state_type)).toContain("RUNNING");
    expect(new Set((await only(`work_pool_name=${pools.b}`)).map((i) => i.id))).toEqual(new Set([runs.b.id]));
    expect(new Set((await only(`flow_id=${runs.plain.flow_id}`)).map((i) => i.id))).toEqual(new Set([runs.plain.id]));
    const plain = await only(`flow_run_id=${runs.plain.id}`);
    expect(new Set(plain.map((i) => i.id))).toEqual(new Set([runs.plain.id]));
    expect(plain.filter((i) => i.timestamp === sameMillisecond)).toHaveLength(5);
    // A filter that matches nothing: an empty page, not an error.
    expect((await only(`deployment_id=${deployments.a}&work_pool_name=${pools.b}`))).toEqual([]);
    // since inclusive, until exclusive.
    expect((await only(`since=${sameMillisecond}`)).map((i) => i.state_id).sort()).toEqual([...tied].sort());
    const before = await only(`until=${sameMillisecond}`);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((i) => i.timestamp < sameMillisecond)).toBe(true);
    // A time with another offset means the same instant.
    expect((await only(`since=2030-01-01T01:00:00.000%2B01:00`)).length).toBe(5);
  });

  it("gives a state the same id in the history and on the live stream (the page dedupes by it)", async () => {
    const base = await app.app.listen({ port: 0, host: "127.0.0.1" });
    const run = await newFlowRun(app, { flow_name: `hist-live-${kind}` });
    const sse = await openSse(`${base}/api/events?types=flow_run&flow_run_id=${run.id}`);
    try {
      await sse.waitFor((f) => f.event === "ready", "ready");
      await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
      const live = await sse.waitFor((f) => f.event === "flow_run" && f.data.state_type === "RUNNING", "the live RUNNING");
      const history = (await get(`flow_run_id=${run.id}&limit=1`)).body.items[0];
      expect(live.data.state_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(history).toEqual(live.data);
    } finally {
      sse.close();
    }
  });

  it.each([
    ["types=worker", "query.types", "no history"],
    ["types=flow_run,states", "query.types", "no history of states"],
    ["since=yesterday", "query.since", "ISO-8601"],
    ["until=2030-01-01T00:00:00Z&since=2030-01-02T00:00:00Z", "query.until", "after since"],
    ["flow_run_id=abc", "query.flow_run_id", "UUID"],
    ["deployment_id=abc", "query.deployment_id", "UUID"],
    ["limit=0", "query.limit", ""],
    ["limit=501", "query.limit", ""],
    ["cursor=bm9wZQ", "query.cursor", "next_cursor"],
    ["pool=a", "query.pool", "pool"],
  ])("refuses %s with a 422 naming %s", async (query, field, words) => {
    const answer = await get(query);
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.code).toBe("ValidationError");
    expect(answer.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(JSON.stringify(answer.body)).toContain(words);
  });
});

describe.each(DATABASE_KINDS)("event history filtered by run on a busy history, on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("finds a pool's states when the newest 2,000 are another pool's, and pages them without a gap", async () => {
    const runOf = async (pool: string) => {
      await app.api("POST", "/work_pools", { name: pool, type: "process" });
      const deployment = (await app.api("POST", "/deployments", { flow_name: `busy-${pool}`, name: "dep", entrypoint: "f.ts:f", work_pool_name: pool })).body.deployment;
      return (await app.api("POST", `/deployments/${deployment.id}/runs`, {})).body.id as string;
    };
    const [quiet, busy] = [await runOf(`quiet-${kind}`), await runOf(`busy-${kind}`)];
    const at = (ms: number) => new Date(Date.UTC(2031, 0, 1) + ms).toISOString();
    const rows = (run: string, from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: uuidv7(), flow_run_id: run, type: "RUNNING" as const, name: "Running", message: null, timestamp: at(from + i), state_details: "{}", data: null }));
    // The quiet pool: 3 states, then 2,100 of the busy pool after them, and 1 more of the quiet one among those.
    await app.db.db.insertInto("flow_run_states").values(rows(quiet, 0, 3)).execute();
    for (let i = 0; i < 2100; i += 300) await app.db.db.insertInto("flow_run_states").values(rows(busy, 10 + i, 300)).execute();
    await app.db.db.insertInto("flow_run_states").values(rows(quiet, 1000, 1)).execute();
    const page = async (query: string) => (await app.api("GET", `/events/history?work_pool_name=quiet-${kind}&since=${at(0)}&${query}`)).body;
    const first = await page("limit=2");
    expect(first.items.map((i: Item) => i.timestamp)).toEqual([at(1000), at(2)]);
    const second = await page(`limit=2&cursor=${first.next_cursor}`);
    expect(second.items.map((i: Item) => i.timestamp)).toEqual([at(1), at(0)]);
    expect(second.next_cursor).toBeNull();
    // The busy pool's page is the newest two, wherever the walk stops.
    const busyPage = (await app.api("GET", `/events/history?work_pool_name=busy-${kind}&limit=2`)).body;
    expect(busyPage.items.map((i: Item) => i.timestamp)).toEqual([at(2109), at(2108)]);
  });
});
