import { sql, type Kysely, type RawBuilder } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";

/** Changes folded per transaction: a bounded hold of SQLite's write lock. */
const FOLD_BATCH = 2000;
/** Keys of a PostgreSQL advisory lock: one server folds at a time (two would wait on each other's counter rows). */
const FOLD_LOCK = sql`pg_try_advisory_xact_lock(1112493134, 14)`;

/** The changes of `source` summed into the counts' four dimensions. */
const grouped = (source: RawBuilder<unknown>) => sql`select dim, key, hour, state_type, sum(delta) as delta from (
    select 'all' as dim, '' as key, hour, state_type, delta from ${source} c
    union all select 'flow', flow_id, hour, state_type, delta from ${source} c
    union all select 'deployment', deployment_id, hour, state_type, delta from ${source} c where deployment_id is not null
    union all select 'pool', work_pool_name, hour, state_type, delta from ${source} c where work_pool_name is not null
  ) g group by dim, key, hour, state_type`;

interface Touched {
  dim: string;
  key: string;
  hour: number;
  state_type: string;
  count: number | string;
}

/** Counts that reached zero go: an hour whose runs all moved on leaves no row behind. */
async function dropZeros(trx: Kysely<Database>, touched: readonly Touched[]): Promise<void> {
  const zeros = touched.filter((t) => Number(t.count) === 0);
  for (let start = 0; start < zeros.length; start += 500) {
    const keys = zeros.slice(start, start + 500).map((z) => sql`(${z.dim}, ${z.key}, ${Number(z.hour)}, ${z.state_type})`);
    await sql`delete from flow_run_counts where count = 0 and (dim, key, hour, state_type) in (${sql.join(keys)})`.execute(trx);
  }
}

/** One batch: returns the changes folded. */
async function foldBatch(database: BatonDatabase): Promise<number> {
  return database.transaction(async (trx) => {
    if (database.kind === "postgresql") {
      const locked = await sql<{ ok: boolean }>`select ${FOLD_LOCK} as ok`.execute(trx);
      if (!locked.rows[0]?.ok) return 0;
      // One statement: it deletes exactly the changes it sums (a change committed meanwhile with a lower id waits for the next fold).
      const result = await sql<Touched & { folded: number | string }>`with moved as (
          delete from flow_run_count_changes where id in (select id from flow_run_count_changes order by id limit ${FOLD_BATCH})
          returning hour, flow_id, deployment_id, work_pool_name, state_type, delta
        ), upserted as (
          insert into flow_run_counts (dim, key, hour, state_type, count)
          select dim, key, hour, state_type, delta from (${grouped(sql`moved`)}) s
          on conflict (dim, key, hour, state_type) do update set count = flow_run_counts.count + excluded.count
          returning dim, key, hour, state_type, count
        )
        select u.*, (select count(*) from moved) as folded from upserted u`.execute(trx);
      await dropZeros(trx, result.rows);
      return Number(result.rows[0]?.folded ?? 0);
    }
    // SQLite: the transaction holds the write lock, so nothing lands between the sum and the delete.
    const last = await sql<{ id: number | null }>`select max(id) as id from (select id from flow_run_count_changes order by id limit ${FOLD_BATCH})`.execute(trx);
    const through = last.rows[0]?.id;
    if (through === null || through === undefined) return 0;
    const batch = sql`(select * from flow_run_count_changes where id <= ${through})`;
    const touched = await sql<Touched>`insert into flow_run_counts (dim, key, hour, state_type, count)
        select dim, key, hour, state_type, delta from (${grouped(batch)}) s where true
        on conflict (dim, key, hour, state_type) do update set count = count + excluded.count
        returning dim, key, hour, state_type, count`.execute(trx);
    await dropZeros(trx, touched.rows);
    const deleted = await sql`delete from flow_run_count_changes where id <= ${through}`.execute(trx);
    return Number(deleted.numAffectedRows ?? 0n);
  });
}

/**
 * Fold the changes the flow_runs triggers wrote into `flow_run_counts`, a bounded batch per
 * transaction, yielding in between. Returns how many were folded (0 on a PostgreSQL server
 * while another one folds).
 */
export async function foldFlowRunCounts(database: BatonDatabase, yieldBetween: () => Promise<void>): Promise<number> {
  let folded = 0;
  for (;;) {
    const n = await foldBatch(database);
    folded += n;
    if (n < FOLD_BATCH) return folded;
    await yieldBetween();
  }
}
