// A faster fill for the read benchmarks (reads.mjs): flow_runs rows only (no states, task runs or
// logs, which `?tag=` and the stats never read), made by the database itself (INSERT ... SELECT over
// a generated series, 50,000 a statement) with fill.mjs's time model and mix: run i is due
// i x 8.64 s before `now` (10,000 a day; BENCH_RUNS_PER_DAY), 85% Completed, 8% Failed, 2% Crashed, 5% Cancelled, tags
// ["etl"] or ["etl","nightly"] (every third), 60% on the 20 deployments of pool scale-pool. The
// tables' triggers run as for any insert (flow_run_tags on SQLite, the stats' count changes).
import { requireFromCheckout } from "./lib.mjs";

/** BENCH_RUNS_PER_DAY (10,000): fewer spread the same 100 days thinner (a smaller database, the same hours). */
const STEP_MS = 86_400_000 / Number(process.env.BENCH_RUNS_PER_DAY ?? 10_000);
const CHUNK = 50_000;

export async function fillRunsBySql(db, size, ctx) {
  const sqlite = db.kind === "sqlite";
  const lit = (s) => (s === null ? "null" : `'${String(s).replace(/'/g, "''")}'`);
  const deps = ctx.deployments.map((d, k) => `select ${k} as k, ${lit(d.id)} as id, ${lit(d.name)} as name, ${lit(d.flow_id)} as flow_id, ${lit(d.flow_name)} as flow_name`).join(" union all ");
  const flows = ctx.adhocFlows.map((f, k) => `select ${k} as k, ${lit(f.id)} as id, ${lit(f.name)} as name`).join(" union all ");
  const hex = (expr, width) => (sqlite ? `printf('%0${width}x', ${expr})` : `lpad(to_hex(${expr}), ${width}, '0')`);
  const iso = (ms) => (sqlite ? `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')` : `to_char(to_timestamp((${ms}) / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  const cat = (...parts) => (sqlite ? parts.join(" || ") : `concat(${parts.join(", ")})`);
  const series = (from, to) => (sqlite ? `(with recursive s(i) as (select ${from} union all select i + 1 from s where i < ${to - 1}) select i from s)` : `(select generate_series(${from}, ${to - 1})::bigint as i)`);
  const insert = (from, to) => `insert into flow_runs (id, name, flow_id, flow_name, deployment_id, parameters, tags, empirical_policy, state_id, state_type, state_name, state,
      run_count, expected_start_time, start_time, end_time, heartbeat_time, created, updated, deployment_name, work_pool_name, work_queue_name, job_variables, worker_name)
    select ${cat(hex("4000000000 - i", 8), "'-0000-7000-8000-'", hex("i", 12))}, ${cat("'run-'", "i")},
      coalesce(d.flow_id, f.id), coalesce(d.flow_name, f.name), d.id, ${cat(`'{"limit":'`, "(i % 10)", `'}'`)},
      case when i % 3 = 0 then '["etl","nightly"]' else '["etl"]' end, '{"retries":0,"retry_delay_seconds":0}',
      ${cat(hex("4000000000 - i", 8), "'-0001-7000-8000-'", hex("i", 12))}, st.type, st.name,
      ${cat(`'{"id":"'`, hex("4000000000 - i", 8), "'-0001-7000-8000-'", hex("i", 12), `'","type":"'`, "st.type", `'","name":"'`, "st.name", `'","message":null,"timestamp":"'`, iso("t + 3000"), `'","state_details":{},"data":null}'`)},
      1, ${iso("t")}, ${iso("t + 900")}, ${iso("t + 3000")}, ${iso("t + 900")}, ${iso("t")}, ${iso("t + 3000")},
      d.name, case when d.id is null then null else 'scale-pool' end, case when d.id is null then null else 'default' end,
      case when d.id is null then null else '{}' end, case when d.id is null then null else 'scale-worker' end
    from (select i, ${ctx.now} - i * ${Math.round(STEP_MS)} - 5000 as t, (i * 2654435761) % 4294967296 % 100 as x from ${series(from, to)} g) r
    left join (${deps}) d on r.i % 5 < 3 and d.k = r.i % ${ctx.deployments.length}
    left join (${flows}) f on d.id is null and f.k = r.i % ${ctx.adhocFlows.length}
    join (select 'COMPLETED' as type, 'Completed' as name, 0 as lo, 85 as hi union all select 'FAILED', 'Failed', 85, 93
      union all select 'CRASHED', 'Crashed', 93, 95 union all select 'CANCELLED', 'Cancelled', 95, 100) st on r.x >= st.lo and r.x < st.hi`;
  const flowRows = ctx.adhocFlows.map((f) => `(${lit(f.id)}, ${lit(f.name)}, '[]', ${lit(new Date(ctx.now - 200 * 86_400_000).toISOString())}, ${lit(new Date(ctx.now).toISOString())})`).join(", ");
  const flowInsert = `insert into flows (id, name, tags, created, updated) values ${flowRows}`;
  if (sqlite) {
    const Database = requireFromCheckout("better-sqlite3");
    const c = new Database(db.file);
    c.pragma("busy_timeout = 15000");
    try {
      c.prepare(flowInsert).run();
      for (let from = 0; from < size; from += CHUNK) c.prepare(insert(from, Math.min(size, from + CHUNK))).run();
    } finally {
      c.close();
    }
    return;
  }
  const pg = requireFromCheckout("pg");
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(flowInsert);
    for (let from = 0; from < size; from += CHUNK) await c.query(insert(from, Math.min(size, from + CHUNK)));
  } finally {
    await c.end();
  }
}
