import { afterEach, describe, expect, it } from "vitest";
import { sql, type RawBuilder } from "kysely";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";

/**
 * Migration 0026 left the runs without a lease or a parent out of two indexes. The queries that
 * read them (written as dispatch/leases.ts, orchestration/cancel.ts and flow-runs/list.ts write
 * them) must still find the index: each implies the value is there.
 */
describe.each(DATABASE_KINDS)("partial run indexes on %s", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  const plan = async (query: RawBuilder<unknown>): Promise<string> => {
    if (kind === "sqlite") return (await sql<{ detail: string }>`explain query plan ${query}`.execute(app!.db.db)).rows.map((r) => r.detail).join("\n");
    return app!.db.transaction(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return (await sql<{ "QUERY PLAN": string }>`explain ${query}`.execute(trx)).rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  };

  it("are partial, and the lease, children, parent-filter and queue-depth queries still read an index", async () => {
    app = await openTestApp(kind);
    const definitions =
      kind === "sqlite"
        ? (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where name in ('ix_flow_runs_lease', 'ix_flow_runs_parent')`.execute(app.db.db)).rows
        : (await sql<{ name: string; sql: string }>`select indexname as name, indexdef as sql from pg_indexes where indexname in ('ix_flow_runs_lease', 'ix_flow_runs_parent')`.execute(app.db.db)).rows;
    expect(definitions).toHaveLength(2);
    for (const d of definitions) expect(d.sql.toLowerCase()).toMatch(/where .*is not null/);

    const now = new Date().toISOString();
    const parent = "01900000-0000-7000-8000-000000000001";
    expect(await plan(sql`select id from flow_runs where state_type = 'PENDING' and lease_expiration < ${now} limit 200`)).toMatch(/ix_flow_runs_lease/);
    expect(await plan(sql`select id from flow_runs where parent_flow_run_id in (${parent}) and cancel_with_parent = 1 order by id`)).toMatch(/ix_flow_runs_parent/);
    expect(await plan(sql`select id from flow_runs where parent_flow_run_id = ${parent} order by created desc, id desc limit 51`)).toMatch(/ix_flow_runs_parent/);
    // The metrics' queue depths (metrics/gauges.ts), now that ix_flow_runs_scheduled is gone. On
    // PostgreSQL the choice among indexes follows the table's statistics, not the query's shape.
    const depths = await plan(sql`select work_pool_name, work_queue_name, count(*) from flow_runs where work_pool_name in (${"a"}, ${"b"}) and state_type = 'SCHEDULED' and next_scheduled_time <= ${now} group by work_pool_name, work_queue_name`);
    expect(depths).toMatch(kind === "sqlite" ? /ix_flow_runs_pool_due/ : /Index/);
  });
});
