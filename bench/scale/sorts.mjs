// Issue 21's runs-list sorts at size: fills SIZE finished runs (fill-sql.mjs), spreads their
// durations (0-100 s) and leaves 2% running (no end), then for each sort builds the server's own
// queries (packages/server/dist listFlowRuns on a logging Kysely) for the first page, a page deep
// in the list (after 20 pages) and the page that crosses into the runs without the value, and
// explains each: the plan must read an index range, never sort every run.
// node sorts.mjs sqlite|postgresql [100000]  -> results/sorts-<kind>-<size>.json; exits 1 on a sorted plan.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUTDIR, createDatabase, importCheckout, requireFromCheckout, startServer, stopServer } from "./lib.mjs";
import { fillRunsBySql } from "./fill-sql.mjs";

const KIND = process.argv[2] ?? "sqlite";
const SIZE = Number(process.argv[3] ?? 100_000);
const core = await importCheckout("packages/core/dist/index.js");
const { listFlowRuns } = await importCheckout("packages/server/dist/flow-runs/repository.js");
const { Kysely, PostgresDialect, SqliteDialect, sql } = requireFromCheckout("kysely");

const db = await createDatabase(KIND, "sorts");
const home = mkdtempSync(join(tmpdir(), "baton-scale-sorts-"));
const now = Date.now();
const ctx = { now, deployments: [], adhocFlows: Array.from({ length: 20 }, (_, i) => ({ id: core.uuidv7(now - 200 * 86_400_000), name: `adhoc-flow-${i}` })), insertFlows: true };
const out = { kind: KIND, size: SIZE, started: new Date().toISOString(), cases: {} };
let kysely;
let failed = false;
try {
  const server = await startServer(db, { home }); // migrates
  await server.client.ok("POST", "/api/work_pools", { name: "scale-pool", type: "process" });
  const { deployment } = await server.client.ok("POST", "/api/deployments", { flow_name: "scale-flow", name: "dep", entrypoint: "probe.ts:probe", work_pool_name: "scale-pool", enforce_parameter_schema: false });
  ctx.deployments.push({ id: deployment.id, name: deployment.name, flow_id: deployment.flow_id, flow_name: deployment.flow_name });
  await stopServer(server, { keepHome: true });
  await fillRunsBySql(db, SIZE, ctx);

  let captured = [];
  const log = (e) => e.level === "query" && captured.push({ sql: e.query.sql, parameters: [...e.query.parameters] });
  let explain;
  if (KIND === "sqlite") {
    const Database = requireFromCheckout("better-sqlite3");
    const c = new Database(db.file);
    c.prepare(`update flow_runs set end_time = case when abs(random()) % 50 = 0 then null
      else strftime('%Y-%m-%dT%H:%M:%fZ', julianday(start_time) + (abs(random()) % 100000) / 86400000.0) end`).run();
    c.prepare("analyze").run();
    kysely = new Kysely({ dialect: new SqliteDialect({ database: c }), log });
    explain = async (q) => c.prepare(`explain query plan ${q.sql}`).all(...q.parameters).map((r) => r.detail);
  } else {
    const pg = requireFromCheckout("pg");
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    await pool.query(`update flow_runs set end_time = case when random() < 0.02 then null
      else to_char(start_time::timestamp + (random() * 100000)::int * interval '1 ms', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end`);
    await pool.query("vacuum analyze flow_runs");
    kysely = new Kysely({ dialect: new PostgresDialect({ pool }), log });
    explain = async (q) => (await pool.query(`explain (analyze, buffers) ${q.sql}`, q.parameters)).rows.map((r) => r["QUERY PLAN"]);
  }
  const database = { kind: KIND, db: kysely, transaction: (fn) => kysely.transaction().execute(fn) };
  const list = (query) => listFlowRuns(database, core.FlowRunListQuerySchema.parse({ limit: "50", ...query }));
  for (const sort of ["start_time_desc", "start_time_asc", "duration_desc", "duration_asc"]) {
    // Walk 20 pages, then jump to the last valued page with a cursor made from the last valued run.
    let cursor;
    for (let i = 0; i < 20; i++) cursor = (await list({ sort, cursor })).next_cursor;
    // A cursor 90% of the way down the valued runs, as if paged there.
    const value = KIND === "sqlite" ? "round((julianday(end_time) - julianday(start_time)) * 86400000)" : "(baton_epoch_ms(end_time) - baton_epoch_ms(start_time))";
    const column = sort.startsWith("start") ? "start_time" : value;
    const order = sort.endsWith("desc") ? "desc" : "asc";
    const [deep] = (await sql.raw(`select ${column} as v, id from flow_runs where ${column} is not null order by ${column} ${order}, id ${order} limit 1 offset ${Math.floor(SIZE * 0.9)}`).execute(kysely)).rows;
    const deepCursor = Buffer.from(JSON.stringify([sort, "v", String(deep.v), deep.id])).toString("base64url");
    const [last] = (await sql.raw(`select ${column} as v, id from flow_runs where ${column} is not null order by ${column} ${order === "desc" ? "asc" : "desc"}, id ${order === "desc" ? "asc" : "desc"} limit 1`).execute(kysely)).rows;
    const lastCursor = Buffer.from(JSON.stringify([sort, "v", String(last.v), last.id])).toString("base64url");
    const pages = { first: {}, "page 21": { cursor }, "90% down": { cursor: deepCursor }, "into the runs without it": { cursor: lastCursor } };
    for (const [label, extra] of Object.entries(pages)) {
      captured = [];
      const t = performance.now();
      await list({ sort, ...extra });
      const ms = +(performance.now() - t).toFixed(1);
      const plans = [];
      for (const q of captured) plans.push({ sql: q.sql, plan: await explain(q) });
      const sorted = plans.some((p) => p.plan.some((line) => /TEMP B-TREE|SCAN flow_runs$|Seq Scan|Sort\b/.test(line)));
      if (sorted) failed = true;
      out.cases[`${sort} ${label}`] = { ms, sorted, plans };
      console.error(`${KIND} ${SIZE}: ${sort} ${label}: ${ms} ms${sorted ? " SORTS EVERY RUN" : ""}\n  ${plans.map((p) => p.plan.join("\n  ")).join("\n  --\n  ")}`);
    }
  }
} finally {
  await kysely?.destroy();
  mkdirSync(join(OUTDIR, "results"), { recursive: true });
  writeFileSync(join(OUTDIR, `results/sorts-${KIND}-${SIZE}.json`), JSON.stringify(out, null, 2));
  rmSync(home, { recursive: true, force: true });
  await db.drop();
}
process.exit(failed ? 1 : 0);
