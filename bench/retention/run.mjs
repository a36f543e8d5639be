// Retention on 100,000 runs: fill a fresh database (bench/scale/fill.mjs: 10,000 finished runs a
// day going back 10 days, each with its state history, 2 task runs with 3 states each and 3 log
// lines), then count what `baton server prune --older-than 1d` would delete (the dry run) and
// delete it the way the server's retention does (500-run batches, 20 ms pause between), while a
// reader lists the newest 20 runs every 10 ms through the same database handle, as the API would:
// its worst latency is how long pruning can hold up a request.
// Run: npm run build && node bench/retention/run.mjs  (BENCH_DATABASES=sqlite,postgresql, BENCH_RUNS=100000)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fill } from "../scale/fill.mjs";
import { createDatabase, importCheckout, loadavg, percentile, HERE } from "../scale/lib.mjs";

const { openDatabase } = await importCheckout("packages/server/dist/db/open.js");
const { summarizePrune, pruneAll, cutoffFor } = await importCheckout("packages/server/dist/retention/prune.js");
const { uuidv7 } = await importCheckout("packages/core/dist/index.js");

const KINDS = (process.env.BENCH_DATABASES ?? "sqlite,postgresql").split(",");
const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const results = [];

for (const kind of KINDS) {
  const db = await createDatabase(kind, "retention");
  try {
    const now = Date.now();
    const ctx = { now, deployments: [], adhocFlows: Array.from({ length: 20 }, (_, i) => ({ id: uuidv7(now - 200 * 86_400_000), name: `adhoc-flow-${i}` })), insertFlows: true };
    let t = performance.now();
    const { counts } = await fill(db.url, 0, RUNS, ctx, { batch: kind === "sqlite" ? 2000 : 5000 });
    const fillSeconds = (performance.now() - t) / 1000;
    const sizeBefore = await db.sizeBytes();

    const database = await openDatabase(db.url);
    const cutoff = cutoffFor(1, new Date(now));
    const entry = { kind, runs: RUNS, rows_filled: counts, fill_s: +fillSeconds.toFixed(1), loadavg_before: loadavg() };
    t = performance.now();
    const summary = await summarizePrune(database, cutoff);
    entry.dry_run_ms = Math.round(performance.now() - t);
    entry.would_delete = { flow_runs: summary.flowRuns, task_runs: summary.taskRuns, logs: summary.logs };

    // The reader: what an API request waits while pruning runs.
    const latencies = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const s = performance.now();
        await database.db.selectFrom("flow_runs").select(["id", "name", "state_type"]).orderBy("created", "desc").limit(20).execute();
        latencies.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const batchMs = [];
    let last = performance.now();
    t = performance.now();
    const deleted = await pruneAll(database, cutoff, {
      pauseMs: 20,
      onBatch: () => {
        const n = performance.now();
        batchMs.push(n - last - 20);
        last = n;
      },
    });
    entry.prune_s = +((performance.now() - t) / 1000).toFixed(1);
    reading = false;
    await reader;
    entry.deleted = deleted;
    entry.runs_per_s = Math.round(deleted.flowRuns / entry.prune_s);
    entry.batches = batchMs.length;
    entry.batch_ms = { p50: Math.round(percentile(batchMs, 50)), p95: Math.round(percentile(batchMs, 95)), max: Math.round(Math.max(...batchMs)) };
    entry.reader_ms = { samples: latencies.length, p50: +percentile(latencies, 50).toFixed(1), p99: +percentile(latencies, 99).toFixed(1), max: +Math.max(...latencies).toFixed(1) };
    const left = await database.db.selectFrom("flow_runs").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
    entry.runs_left = Number(left.n);
    await database.close();
    entry.size_mb_before = +(sizeBefore / 1e6).toFixed(1);
    entry.size_mb_after = +((await db.sizeBytes()) / 1e6).toFixed(1);
    entry.loadavg_after = loadavg();
    results.push(entry);
    console.log(JSON.stringify(entry));
  } finally {
    await db.drop();
  }
}
writeFileSync(join(HERE, "..", "retention", `results-${KINDS.join("-")}.json`), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
