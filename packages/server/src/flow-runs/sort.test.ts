import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

const T0 = Date.parse("2026-03-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();

/**
 * 300 runs: 200 finished with durations from a set of 7 (many ties, equal start times too),
 * 50 running (started, no end), 25 cancelled before starting (end, no start), 25 not started.
 */
interface Made {
  id: string;
  start: string | null;
  end: string | null;
}

describe.each(DATABASE_KINDS)("runs sorted by start time and duration on %s", (kind) => {
  let app: TestApp;
  const made: Made[] = [];
  const flow_name = `sorted-${kind}`;

  beforeAll(async () => {
    app = await openTestApp(kind);
    for (let i = 0; i < 300; i++) {
      const run = await newFlowRun(app, { flow_name, name: `run-${i}` });
      const start = i < 250 ? at((i % 40) * 60_000) : null; // 40 start times: ties
      const end = i < 200 ? at((i % 40) * 60_000 + [1, 500, 999, 1000, 61_000, 3_600_000, 86_400_001][i % 7]!) : i >= 250 && i < 275 ? at(i) : null;
      // Times as the orchestration writes them (start on RUNNING, end on a terminal state), set here to make ties.
      await app.db.db.updateTable("flow_runs").set({ start_time: start, end_time: end }).where("id", "=", run.id).execute();
      made.push({ id: run.id, start, end });
    }
  }, 120_000);
  afterAll(() => app.cleanup());

  const pageAll = async (sort: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await app.api("GET", `/flow_runs?flow_name=${flow_name}&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
      seen.push(...answer.body.items.map((r: { id: string }) => r.id));
      cursor = answer.body.next_cursor;
    } while (cursor);
    return seen;
  };

  const duration = (m: Made) => (m.start && m.end ? Date.parse(m.end) - Date.parse(m.start) : null);
  const expected = (value: (m: Made) => string | number | null, direction: 1 | -1) =>
    [...made]
      .sort((a, b) => {
        const x = value(a);
        const y = value(b);
        if ((x === null) !== (y === null)) return x === null ? 1 : -1;
        if (x !== null && y !== null && x !== y) return (x < y ? -1 : 1) * direction;
        return (a.id < b.id ? -1 : 1) * direction;
      })
      .map((m) => m.id);

  it.each([
    ["start_time_desc", (m: Made) => m.start, -1],
    ["start_time_asc", (m: Made) => m.start, 1],
    ["duration_desc", duration, -1],
    ["duration_asc", duration, 1],
  ] as const)("pages %s through every run once, in order, across ties and the runs without the value", async (sort, value, direction) => {
    const want = expected(value, direction);
    for (const limit of [7, 50]) expect(await pageAll(sort, limit)).toEqual(want);
  });

  it("merges several states at once in the same order, each run once", async () => {
    const failed = made.filter((_, i) => i % 5 === 0);
    const crashed = made.filter((_, i) => i % 5 === 1);
    const setType = (ids: string[], type: string, name: string) => app.db.db.updateTable("flow_runs").set({ state_type: type as never, state_name: name }).where("id", "in", ids).execute();
    await setType(failed.map((m) => m.id), "FAILED", "Failed");
    await setType(crashed.map((m) => m.id), "CRASHED", "Crashed");
    const picked = new Set([...failed, ...crashed].map((m) => m.id));
    for (const [sort, value, direction] of [["duration_desc", duration, -1], ["start_time_asc", (m: Made) => m.start, 1]] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const answer = await app.api("GET", `/flow_runs?flow_name=${flow_name}&state=FAILED,CRASHED&sort=${sort}&limit=9${cursor ? `&cursor=${cursor}` : ""}`);
        seen.push(...answer.body.items.map((r: { id: string }) => r.id));
        cursor = answer.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(expected(value, direction).filter((id) => picked.has(id)));
    }
  });

  it("refuses a cursor made for another sort with a 422 naming the cursor", async () => {
    const first = await app.api("GET", `/flow_runs?flow_name=${flow_name}&sort=start_time_desc&limit=5`);
    for (const sort of ["duration_desc", "created_desc"]) {
      const answer = await app.api("GET", `/flow_runs?flow_name=${flow_name}&sort=${sort}&limit=5&cursor=${first.body.next_cursor}`);
      expect(answer.status).toBe(422);
      expect(JSON.stringify(answer.body)).toContain("query.cursor");
    }
    expect((await app.api("GET", "/flow_runs?sort=length")).status).toBe(422);
  });

  it("reads a page through the start and duration indexes, not a sort of every run", async () => {
    // The shapes list.ts builds: the valued part as a range above a floor, after a cursor.
    const plan = async (order: string, floor: string) => {
      const query = `select id from flow_runs where ${order} > ${floor} and ${order} <= ${floor === "''" ? "'2026-03-01'" : "1000"} and (${order} < ${floor === "''" ? "'2026-03-01'" : "1000"} or id < 'f') order by ${order} desc, id desc limit 51`;
      if (kind === "sqlite") return (await sql<{ detail: string }>`explain query plan ${sql.raw(query)}`.execute(app.db.db)).rows.map((r) => r.detail).join("\n");
      return app.db.transaction(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return (await sql<{ "QUERY PLAN": string }>`explain ${sql.raw(query)}`.execute(trx)).rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
    };
    const duration = kind === "sqlite" ? "round((julianday(end_time) - julianday(start_time)) * 86400000)" : "(baton_epoch_ms(end_time) - baton_epoch_ms(start_time))";
    for (const [order, index, floor] of [["start_time", "ix_flow_runs_start", "''"], [duration, "ix_flow_runs_duration", "-9007199254740991"]] as const) {
      const text = await plan(order, floor);
      expect(text).toContain(index);
      expect(text).not.toMatch(/TEMP B-TREE|Sort/);
    }
  });
});
