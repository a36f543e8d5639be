import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { listFlowRuns, type FlowRunListQuery } from "./list.js";

describe.each(DATABASE_KINDS)("?tag= on %s", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it("finds the runs with a tag through an index, and forgets a deleted run", async () => {
    app = await openTestApp(kind);
    const nightly = await newFlowRun(app, { tags: ["nightly", "etl"] });
    const other = await newFlowRun(app, { tags: ["etl"] });
    await newFlowRun(app, { tags: ['a "quoted" %tag_'] });
    const ids = async (tag: string) => (await app!.api("GET", `/flow_runs?tag=${encodeURIComponent(tag)}&limit=50`)).body.items.map((r: { id: string }) => r.id).sort();
    expect(await ids("nightly")).toEqual([nightly.id]);
    expect(await ids("etl")).toEqual([nightly.id, other.id].sort());
    expect(await ids('a "quoted" %tag_')).toHaveLength(1);
    expect(await ids("missing")).toEqual([]);
    expect((await app.api("DELETE", `/flow_runs/${nightly.id}`)).status).toBeLessThan(300);
    expect(await ids("nightly")).toEqual([]);

    // The plan reads the tag index, not every run.
    const plan =
      kind === "sqlite"
        ? (await sql<{ detail: string }>`explain query plan select id from flow_runs where flow_runs.id in (select flow_run_id from flow_run_tags where tag = ${"etl"})`.execute(app.db.db)).rows.map((r) => r.detail).join("\n")
        : await app.db.transaction(async (trx) => {
            await sql`set local enable_seqscan = off`.execute(trx);
            const rows = (await sql<{ "QUERY PLAN": string }>`explain select id from flow_runs where (flow_runs.tags)::jsonb @> jsonb_build_array(${"etl"}::text)`.execute(trx)).rows;
            return rows.map((r) => r["QUERY PLAN"]).join("\n");
          });
    expect(plan).toMatch(kind === "sqlite" ? /flow_run_tags USING (PRIMARY KEY|COVERING INDEX)/ : /ix_flow_runs_tags/);
  });

  it("pages the same runs whichever plan a tag's count picks (SQLite walks runs for a common tag, reads the tag table for a rare one)", async () => {
    app = await openTestApp(kind);
    for (let i = 0; i < 24; i++) await newFlowRun(app, { tags: i % 3 === 0 ? ["etl", "nightly"] : ["etl"] });
    const pages = async (query: Partial<FlowRunListQuery>, commonTagRuns: number) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await listFlowRuns(app!.db, { limit: 5, sort: "created_desc", upcoming: "include", ...query, cursor } as FlowRunListQuery, commonTagRuns);
        seen.push(page.items.map((r) => r.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return seen;
    };
    for (const tag of [["etl"], ["nightly"], ["etl", "nightly"], ["missing"]]) {
      const rare = await pages({ tag }, 1_000_000);
      expect(await pages({ tag }, 1)).toEqual(rare);
      expect(await pages({ tag, sort: "created_asc" }, 1)).toEqual(await pages({ tag, sort: "created_asc" }, 1_000_000));
    }
    expect((await pages({ tag: ["nightly"] }, 1)).flat()).toHaveLength(8);
    if (kind === "sqlite") {
      const plan = (
        await sql<{ detail: string }>`explain query plan select id from flow_runs where (select 1 from flow_run_tags where tag = ${"etl"} and flow_run_id = flow_runs.id limit 1) is not null order by created desc, id desc limit 6`.execute(app.db.db)
      ).rows.map((r) => r.detail).join("\n");
      // Walked in created order through an index: no sort of every match.
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(plan).toMatch(/flow_run_tags USING PRIMARY KEY \(tag=\? AND flow_run_id=\?\)/);
    }
  });
});
