import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlowRunStatsQuerySchema } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { down, up } from "../db/migrations/0014-flow-run-counts.js";
import { openDatabase } from "../db/open.js";
import { bucketCounts } from "./counts.js";
import { foldFlowRunCounts } from "./fold.js";
import { flowRunStats } from "./repository.js";

const HOUR = 3_600_000;
const RUNS = 90;
const DEP = "0190d1a8-0000-7000-8000-000000000001";
const base = Date.parse("2026-03-10T00:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const now = new Date(base + 2 * 86_400_000 + 23 * 60_000 + 17_000); // mid-hour: the last hour is unfinished

describe.each(DATABASE_KINDS)("stats from the hourly counts on %s", (kind) => {
  let app: TestApp;
  const shapes: Record<string, unknown>[] = [];
  const both = async (query: Record<string, unknown>) => {
    const q = FlowRunStatsQuerySchema.parse(query);
    return { counted: await flowRunStats(app.db, q, now), raw: await flowRunStats(app.db, q, now, { useCounts: false }) };
  };

  beforeAll(async () => {
    app = await openTestApp(kind);
    // 90 runs over five days around `now`, every 79 minutes and 13 seconds, two flows; a few end through the API.
    const types = ["COMPLETED", "FAILED", "CRASHED", "CANCELLED", "SCHEDULED"] as const;
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const due = base - 2 * 86_400_000 + i * (79 * 60_000 + 13_000);
      const run = await newFlowRun(app, { flow_name: i % 3 === 0 ? "counts-b" : "counts-a", state: { type: "SCHEDULED", state_details: { scheduled_time: iso(due) } } });
      if (i < 5) await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: types[i % 5] }, force: true });
      ids.push(run.id);
    }
    // The rest end by SQL, as any other writer would: the triggers see every path.
    for (const [k, type] of types.entries()) {
      await app.db.db.updateTable("flow_runs").set({ state_type: type }).where("id", "in", ids.filter((_, i) => i >= 5 && i % 5 === k)).execute();
    }
    // Other writers than the API's: a pool and deployment given by SQL, one run moved to another hour.
    await app.db.db.updateTable("flow_runs").set({ work_pool_name: "pool-x", deployment_id: DEP }).where("id", "in", ids.filter((_, i) => i % 4 === 0)).execute();
    await app.db.db.updateTable("flow_runs").set({ expected_start_time: iso(base + 5 * HOUR + 1000) }).where("id", "=", ids[7]!).execute();
    // 9 runs deleted through the API.
    for (const id of ids.filter((_, i) => i % 11 === 0)) expect((await app.api("DELETE", `/flow_runs/${id}`)).status).toBe(204);
    const flows = (await app.api("GET", "/flows?limit=50")).body.items as { id: string; name: string }[];
    const flowB = flows.find((f) => f.name === "counts-b")!.id;
    const day = iso(base - 86_400_000);
    shapes.push(
      { since: iso(base - 3 * 86_400_000), until: iso(base + 4 * 86_400_000), bucket_seconds: 3600 }, // whole hours over all the runs
      { since: iso(base - 3 * 86_400_000 + 2 * HOUR), bucket_seconds: 3600 }, // the dashboard's shape: up to now, the last hour unfinished
      { since: day, bucket_seconds: 86_400 },
      { since: iso(base - 86_400_000 + 17 * 60_000 + 23_000), bucket_seconds: 3600 }, // buckets cut every hour
      { since: day, bucket_seconds: 5400 }, // every other hour is cut
      { since: iso(base), until: iso(base + 6 * HOUR), bucket_seconds: 60 * 20 }, // shorter than an hour: all raw
      { since: day, until: iso(base + 12 * HOUR), bucket_seconds: 7200, flow_id: flowB },
      { since: day, bucket_seconds: 3600, deployment_id: DEP },
      { since: day, bucket_seconds: 10_800, work_pool_name: "pool-x" },
      { since: day, bucket_seconds: 3600, work_pool_name: "pool-x", flow_id: flowB }, // two filters: raw
      { since: day, bucket_seconds: 3600, work_pool_name: "no-such-pool" },
    );
  }, 240_000);
  afterAll(() => app.cleanup());

  const expectSame = async () => {
    for (const shape of shapes) {
      const { counted, raw } = await both(shape);
      expect(counted, JSON.stringify(shape)).toEqual(raw);
    }
  };

  it("answers what the runs themselves say, before the changes are folded in", async () => {
    const { raw } = await both(shapes[0]!);
    expect(Object.values(raw.totals).reduce((a, b) => a + b, 0)).toBe(RUNS - 9);
    expect(raw.totals.FAILED).toBeGreaterThan(0);
    await expectSame();
  });

  it("answers the same after folding, from counts that hold every hour", async () => {
    expect(await foldFlowRunCounts(app.db, async () => undefined)).toBeGreaterThan(RUNS);
    expect(await app.db.db.selectFrom("flow_run_count_changes").select("id").execute()).toEqual([]);
    // The counts alone, hour by hour, are what a group-by of the runs gives.
    const fromHour = Math.floor((base - 3 * 86_400_000) / HOUR);
    // Buckets of an hour from an hour's start: bucket i is hour fromHour + i.
    const counts = (await bucketCounts(app.db, {}, { fromHour, toHour: fromHour + 6 * 24 }, fromHour * 3600, 3600)).map((c) => ({ ...c, hour: fromHour + c.bucket }));
    const runs = await app.db.db.selectFrom("flow_runs").select(["expected_start_time", "state_type"]).execute();
    const expected = new Map<string, number>();
    for (const r of runs) {
      const key = `${Math.floor(Date.parse(r.expected_start_time!) / HOUR)}:${r.state_type}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(counts.map((c) => [`${c.hour}:${c.state_type}`, c.count]))).toEqual(expected);
    await expectSame();
  });

  it("follows later changes: state changes, a new run, a deletion, with some folded and some not", async () => {
    const run = await newFlowRun(app, { flow_name: "counts-a", state: { type: "SCHEDULED", state_details: { scheduled_time: iso(base + 3 * HOUR + 5) } } });
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" }, force: true });
    await foldFlowRunCounts(app.db, async () => undefined);
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "COMPLETED" }, force: true });
    const victim = (await app.db.db.selectFrom("flow_runs").select("id").where("state_type", "=", "FAILED").limit(1).executeTakeFirstOrThrow()).id;
    expect((await app.api("DELETE", `/flow_runs/${victim}`)).status).toBe(204);
    await expectSame();
    await foldFlowRunCounts(app.db, async () => undefined);
    await expectSame();
    // Counts that fell to zero leave no row.
    expect(await app.db.db.selectFrom("flow_run_counts").select("count").where("count", "=", 0).execute()).toEqual([]);
  });

  // PostgreSQL: replicas share one database. (Two SQLite connections in one thread cannot wait for
  // each other's write lock: the busy wait blocks the thread that would release it.)
  it.runIf(kind === "postgresql")("counts every change once when two servers fold at the same time", async () => {
    await foldFlowRunCounts(app.db, async () => undefined);
    for (let i = 0; i < 30; i++) await newFlowRun(app, { flow_name: "counts-a", state: { type: "SCHEDULED", state_details: { scheduled_time: iso(base + i * 7 * 60_000) } } });
    const pending = (await app.db.db.selectFrom("flow_run_count_changes").select("id").execute()).length;
    expect(pending).toBe(30);
    const other = await openDatabase(app.database.url);
    try {
      const folded = await Promise.all([foldFlowRunCounts(app.db, async () => undefined), foldFlowRunCounts(other, async () => undefined)]);
      // Whatever the split (on PostgreSQL the one that finds the lock taken folds nothing), each change is folded once.
      const again = await foldFlowRunCounts(app.db, async () => undefined);
      expect(folded[0] + folded[1] + again).toBe(pending);
    } finally {
      await other.close();
    }
    await expectSame();
  });

  it("counts the runs that existed before the migration", async () => {
    const db = app.db.db as unknown as Kysely<unknown>;
    await down(db);
    await up(db);
    expect(await app.db.db.selectFrom("flow_run_count_changes").select("id").execute()).toEqual([]);
    await expectSame();
  });
});
