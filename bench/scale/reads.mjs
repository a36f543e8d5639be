// Issue 18's read targets at size: `?tag=` and long-window stats. Fills a fresh database with
// SIZE finished runs (10,000 a day going back, so 1M runs = 100 days; fill-sql.mjs, flow_runs rows
// only, in SQL, or BENCH_FILL=full for fill.mjs's whole runs, ten times slower), starts
// `baton server start` on it, waits until the services have folded the runs' changes into the
// stats' hourly counts (migration 0014; the fill writes through the database layer, so its
// triggers record every run), then BENCH_REPS (3) rounds of BENCH_SAMPLES (15) sequential
// requests per route: the p50 of each round (min / median / max over rounds) and the slowest.
// node reads.mjs sqlite|postgresql [1000000]  -> results/reads-<kind>.json
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUTDIR, createDatabase, importCheckout, loadavg, median, mmm, q, rssMb, sleep, sqlReader, startServer, stopServer } from "./lib.mjs";
import { fill } from "./fill.mjs";
import { fillRunsBySql } from "./fill-sql.mjs";

const KIND = process.argv[2] ?? "sqlite";
const SIZE = Number(process.argv[3] ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
const { uuidv7 } = await importCheckout("packages/core/dist/index.js");

const out = { kind: KIND, size: SIZE, runs_per_day: Number(process.env.BENCH_RUNS_PER_DAY ?? 10_000), started: new Date().toISOString(), loadavg_before: loadavg() };
const save = () => {
  mkdirSync(join(OUTDIR, "results"), { recursive: true });
  writeFileSync(join(OUTDIR, `results/reads-${KIND}-${SIZE}.json`), JSON.stringify(out, null, 2));
};
const db = await createDatabase(KIND, "reads");
const home = mkdtempSync(join(tmpdir(), "baton-scale-reads-"));
const now = Date.now();
const ctx = { now, deployments: [], adhocFlows: Array.from({ length: 20 }, (_, i) => ({ id: uuidv7(now - 200 * 86_400_000), name: `adhoc-flow-${i}` })), insertFlows: true };
let server;
try {
  server = await startServer(db, { home });
  ctx.key = server.key;
  await server.client.ok("POST", "/api/work_pools", { name: "scale-pool", type: "process" });
  for (let i = 0; i < 20; i++) {
    const { deployment } = await server.client.ok("POST", "/api/deployments", { flow_name: `scale-flow-${i}`, name: `dep-${i}`, entrypoint: "probe.ts:probe", work_pool_name: "scale-pool", enforce_parameter_schema: false });
    ctx.deployments.push({ id: deployment.id, name: deployment.name, flow_id: deployment.flow_id, flow_name: deployment.flow_name });
  }
  await stopServer(server, { keepHome: true });
  server = undefined;
  let t = performance.now();
  if (process.env.BENCH_FILL === "full") await fill(db.url, 0, SIZE, ctx, { batch: KIND === "sqlite" ? 2000 : 5000 });
  else await fillRunsBySql(db, SIZE, ctx);
  out.fill = process.env.BENCH_FILL === "full" ? "fill.mjs (runs, states, task runs, logs)" : "fill-sql.mjs (flow_runs rows only)";
  out.fill_seconds = +((performance.now() - t) / 1000).toFixed(1);
  const reader = await sqlReader(db);
  if (KIND === "postgresql") await reader.all("analyze");
  console.error(`${KIND}: filled ${SIZE} runs in ${out.fill_seconds}s`);

  server = await startServer(db, { home, key: ctx.key });
  t = performance.now();
  for (;;) {
    const left = Number((await reader.all("select count(*) as n from flow_run_count_changes"))[0].n);
    if (left === 0) break;
    await sleep(500);
  }
  out.fold_seconds_after_start = +((performance.now() - t) / 1000).toFixed(1);
  out.counts_rows = Number((await reader.all("select count(*) as n from flow_run_counts"))[0].n);
  if (KIND === "postgresql") await reader.all("analyze");
  await reader.close();
  console.error(`${KIND}: changes folded ${out.fold_seconds_after_start}s after start, ${out.counts_rows} count rows`);

  const day = 86_400_000;
  const dashSince = new Date(Math.floor((now - day) / 3_600_000) * 3_600_000 + 3_600_000).toISOString();
  const days = Math.ceil(SIZE / out.runs_per_day);
  const longSince = new Date(Math.floor((now - (days + 1) * day) / 3_600_000) * 3_600_000).toISOString();
  const routes = {
    "GET /flow_runs?tag=missing-tag": () => `/api/flow_runs${q({ tag: "missing-tag" })}`,
    "GET /flow_runs?tag=nightly (a third of the runs)": () => `/api/flow_runs${q({ tag: "nightly" })}`,
    "GET /stats/flow_runs 24 h, 1 h buckets (dashboard)": () => `/api/stats/flow_runs${q({ since: dashSince, bucket_seconds: 3600 })}`,
    "GET /stats/flow_runs 100 days, 1 day buckets": () => `/api/stats/flow_runs${q({ since: longSince, bucket_seconds: 86400 })}`,
    "GET /stats/flow_runs 100 days, 6 h buckets": () => `/api/stats/flow_runs${q({ since: longSince, bucket_seconds: 6 * 3600 })}`,
    "GET /stats/flow_runs 100 days, 1 day buckets, one deployment": () => `/api/stats/flow_runs${q({ since: longSince, bucket_seconds: 86400, deployment_id: ctx.deployments[0].id })}`,
    "GET /stats/flow_runs 100 days, 1 day buckets, since at :17 (an hour cut per bucket)": () => `/api/stats/flow_runs${q({ since: new Date(Date.parse(longSince) + 17 * 60_000).toISOString(), bucket_seconds: 86400 })}`,
    "GET /stats/flow_runs 100 days, no counts (two filters: the runs themselves)": () => `/api/stats/flow_runs${q({ since: longSince, bucket_seconds: 86400, deployment_id: ctx.deployments[0].id, work_pool_name: "scale-pool" })}`,
  };
  out.loadavg_reads = loadavg();
  out.routes = {};
  for (const [label, make] of Object.entries(routes)) {
    const p50s = [], maxes = [], errors = [];
    for (let rep = 0; rep < REPS; rep++) {
      const ms = [];
      for (let i = 0; i < SAMPLES; i++) {
        const r = await server.client.get(make());
        if (r.status !== 200) errors.push(`${r.status} ${r.text.slice(0, 200)}`);
        else ms.push(r.ms);
      }
      p50s.push(median(ms));
      maxes.push(Math.max(...ms));
    }
    out.routes[label] = { p50_ms: mmm(p50s), max_ms: mmm(maxes), errors: errors.slice(0, 3) };
    console.error(`${KIND} ${label}: p50 ${JSON.stringify(out.routes[label].p50_ms)} max ${Math.max(...maxes).toFixed(1)}${errors.length ? ` errors: ${errors[0]}` : ""}`);
  }
  out.server_rss_mb = +rssMb(server.pid).toFixed(1);
  out.loadavg_after = loadavg();
  save();
} finally {
  if (server) await stopServer(server);
  await db.drop();
  rmSync(home, { recursive: true, force: true });
  save();
}
