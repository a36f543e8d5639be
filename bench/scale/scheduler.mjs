// Step 3: the scheduler service with N deployments, each with one cron schedule `* * * * *`.
// 1. N deployments are created through the API (POST /api/deployments, 8 at a time) *paused*, so
//    the upsert route does not fill their schedules itself (it does for an unpaused deployment).
// 2. SQL unpauses them all at once (UPDATE deployments SET paused = 0, and resets the schedules'
//    horizons as the resume route does), so what fills
//    them is the server's scheduler service (BATON_SERVER_SERVICES_LOOP_SECONDS=1 here; default 5).
// 3. Until every deployment has its 60 upcoming runs: the server's CPU and RSS each second, and
//    GET /api/health (every 100 ms) and GET /api/flow_runs (every 250 ms) latencies.
// 4. 15 s more: the steady state (each pass reads every deployment; each minute adds N runs).
// Optionally (BENCH_RESTART=1, first round): stop the server, delete the runs, start it again and
// time its start: the services' first pass runs before the server listens.
// BENCH_STEADY_S (15): length of the steady state. BENCH_CRON ("* * * * *") and BENCH_RUNS_EACH (60; 3
// for an hourly cron): the schedule and the runs each deployment should get. BENCH_REPLICAS (1): more
// servers on the same database (PostgreSQL), started before the unpause; CPU is summed over them.
// Every server runs with memwatch.cjs preloaded: its own process.memoryUsage() each second (heap,
// external, array buffers), so RSS can be told apart from the JavaScript heap.
// node scheduler.mjs sqlite|postgresql 100,1000 [reps=3]  -> results/scheduler-<kind>-<sizes>.json
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { memwatchEnv, readMemlog } from "./memwatch.mjs";
import { Client, HERE, OUTDIR, createDatabase, cpuSeconds, loadavg, mmm, percentile, requireFromCheckout, rssMb, sleep, sqlReader, startServer, stopServer } from "./lib.mjs";

const KIND = process.argv[2] ?? "sqlite";
const SIZES = (process.argv[3] ?? "100,1000").split(",").map(Number);
const REPS = Number(process.argv[4] ?? 3);
const LOOP_SECONDS = process.env.BENCH_LOOP_SECONDS ?? "1";
const CRON = process.env.BENCH_CRON ?? "* * * * *";
const RUNS_EACH = Number(process.env.BENCH_RUNS_EACH ?? 60); // `* * * * *`: the runs of the next hour (timesAhead: >= 3 runs and 1 h ahead)
const STEADY_S = Number(process.env.BENCH_STEADY_S ?? 15);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1);
const TIMEOUT_S = Number(process.env.BENCH_SCHED_TIMEOUT_S ?? 900);

async function sqlWrite(db, text) {
  if (db.kind === "sqlite") {
    const Database = requireFromCheckout("better-sqlite3");
    const c = new Database(db.file);
    c.pragma("busy_timeout = 15000");
    try {
      return c.prepare(text).run().changes;
    } finally {
      c.close();
    }
  }
  const pg = requireFromCheckout("pg");
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(text)).rowCount;
  } finally {
    await c.end();
  }
}

async function probeLoop(client, path, everyMs, state) {
  const ms = [], errors = [];
  while (!state.stop) {
    const t = performance.now();
    try {
      const r = await client.get(path);
      if (r.status === 200) ms.push(r.ms);
      else errors.push(r.status);
    } catch (e) {
      errors.push(e.message.slice(0, 80));
    }
    await sleep(Math.max(0, everyMs - (performance.now() - t)));
  }
  return { ms, errors };
}
const lat = (p) => ({ p50_ms: +percentile(p.ms, 50).toFixed(1), p99_ms: +percentile(p.ms, 99).toFixed(1), max_ms: +Math.max(...p.ms).toFixed(1), samples: p.ms.length, errors: p.errors.length, first_errors: p.errors.slice(0, 3) });

async function oneRound(n, { restart }) {
  const db = await createDatabase(KIND, "sched");
  const env = (i) => ({ BATON_SERVER_SERVICES_LOOP_SECONDS: LOOP_SECONDS, BATON_SERVER_LOG_LEVEL: "info", ...memwatchEnv(`sched-${n}-${i}`) });
  let server = await startServer(db, { env: env(0) });
  const replicas = [];
  const reader = await sqlReader(db);
  const r = { n, cron: CRON, replicas: REPLICAS, loadavg_before: loadavg() };
  try {
    const c = server.client;
    await c.ok("POST", "/api/work_pools", { name: "sched-pool", type: "process" });
    let next = 0;
    const t0 = performance.now();
    const creators = Array.from({ length: 8 }, async () => {
      const cl = new Client(server.base, server.key, 1);
      while (next < n) {
        const i = next++;
        await cl.ok("POST", "/api/deployments", { flow_name: `sched-flow-${i % 50}`, name: `d-${i}`, entrypoint: "flows.ts:f", work_pool_name: "sched-pool", enforce_parameter_schema: false, paused: true, schedules: [{ cron: CRON }] });
      }
      cl.close();
    });
    await Promise.all(creators);
    r.create_seconds = +((performance.now() - t0) / 1000).toFixed(1);
    r.deployments_per_s = +(n / r.create_seconds).toFixed(1);
    for (let i = 1; i < REPLICAS; i++) replicas.push(await startServer(db, { env: env(i), key: server.key, logName: `server-replica-${i}.log` }));
    const cpuAll = () => [server, ...replicas].reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
    await sleep(2000);

    // Unpause all; from here the scheduler service does the work.
    const state = { stop: false };
    const health = probeLoop(new Client(server.base, server.key, 1), "/api/health", 100, state);
    const list = probeLoop(new Client(server.base, server.key, 1), "/api/flow_runs", 250, state);
    const timeline = [];
    const cpu0 = cpuAll();
    let peakRss = rssMb(server.pid);
    const start = performance.now();
    await sqlWrite(db, "update deployments set paused = 0");
    // What POST /deployments/:id/resume does besides: the schedules' horizons start over, now
    // (a pass that saw them paused parked them).
    await sqlWrite(db, "update deployment_schedules set scheduled_through = null, fill_due = '1970-01-01T00:00:00.000Z', fill_claim = null");
    let doneAt;
    let lastCount = 0;
    for (;;) {
      await sleep(1000);
      const count = Number((await reader.all("select count(*) as n from flow_runs"))[0].n);
      const el = (performance.now() - start) / 1000;
      peakRss = Math.max(peakRss, rssMb(server.pid));
      timeline.push({ t: +el.toFixed(1), runs: count, cpu_s: +(cpuAll() - cpu0).toFixed(2), rss_mb: +rssMb(server.pid).toFixed(0) });
      if (count >= n * RUNS_EACH && count !== lastCount) {
        const full = Number((await reader.all(`select count(*) as n from (select deployment_id from flow_runs group by deployment_id having count(*) >= ${RUNS_EACH}) x`))[0].n);
        if (full >= n) {
          doneAt = el;
          break;
        }
      }
      lastCount = count;
      if (el > TIMEOUT_S) break;
    }
    const cpuFill = cpuAll() - cpu0;
    state.stop = true;
    const [h, l] = await Promise.all([health, list]);
    r.fill_seconds = doneAt !== undefined ? +doneAt.toFixed(1) : null; // 1 s polling resolution
    r.timed_out = doneAt === undefined;
    r.runs_created = Number((await reader.all("select count(*) as n from flow_runs"))[0].n);
    r.runs_per_s = doneAt ? +(r.runs_created / doneAt).toFixed(0) : null;
    r.server_cpu_seconds = +cpuFill.toFixed(1);
    r.server_cpu_percent = +((100 * cpuFill) / ((performance.now() - start) / 1000)).toFixed(0);
    r.server_peak_rss_mb = +peakRss.toFixed(0);
    r.health_during = lat(h);
    r.runs_list_during = lat(l);
    r.timeline = timeline.length > 40 ? timeline.filter((_, i) => i % Math.ceil(timeline.length / 40) === 0 || i === timeline.length - 1) : timeline;
    const passLines = readFileSync(server.logFile, "utf8").split("\n").filter((x) => /scheduled \d+ flow run/.test(x));
    r.server_log_scheduled_lines = passLines.slice(0, 5).map((x) => x.slice(0, 160));

    r.duplicate_runs = Number((await reader.all("select count(*) as n from (select idempotency_key from flow_runs group by deployment_id, idempotency_key having count(*) > 1) x"))[0].n);
    if (REPLICAS > 1) r.runs_by_replica_log = [server, ...replicas].map((s) => readFileSync(s.logFile, "utf8").split("\n").reduce((sum, x) => sum + Number(/scheduled (\d+) flow run/.exec(x)?.[1] ?? 0), 0));

    // Steady state: STEADY_S seconds of passes with nothing (or each minute's runs) to add; RSS each second.
    const state2 = { stop: false };
    const health2 = probeLoop(new Client(server.base, server.key, 1), "/api/health", 100, state2);
    const list2 = probeLoop(new Client(server.base, server.key, 1), "/api/flow_runs", 250, state2);
    const cpu1 = cpuAll();
    const count1 = Number((await reader.all("select count(*) as n from flow_runs"))[0].n);
    const steadyStart = performance.now();
    const steadyRss = [];
    while (performance.now() - steadyStart < STEADY_S * 1000) {
      await sleep(1000);
      steadyRss.push(rssMb(server.pid));
    }
    state2.stop = true;
    r.steady_seconds = STEADY_S;
    r.steady_cpu_percent = +((100 * (cpuAll() - cpu1)) / ((performance.now() - steadyStart) / 1000)).toFixed(1);
    r.steady_runs_added = Number((await reader.all("select count(*) as n from flow_runs"))[0].n) - count1;
    r.steady_health = lat(await health2);
    r.steady_runs_list = lat(await list2);
    r.steady_rss_mb = { first: +steadyRss[0].toFixed(0), max: +Math.max(...steadyRss).toFixed(0), last: +steadyRss.at(-1).toFixed(0) };
    r.rss_end_mb = +rssMb(server.pid).toFixed(0);
    r.memory = readMemlog(`sched-${n}-0`);

    if (restart) {
      await stopServer(server, { keepHome: true });
      await sqlWrite(db, "delete from flow_run_states");
      await sqlWrite(db, "delete from flow_runs");
      // The horizons say those runs exist: start them over, as a change of the deployments would.
      await sqlWrite(db, "update deployment_schedules set scheduled_through = null, fill_due = '1970-01-01T00:00:00.000Z', fill_claim = null");
      const firstHome = server.home;
      server = await startServer(db, { home: firstHome, key: server.key, env: { BATON_SERVER_SERVICES_LOOP_SECONDS: LOOP_SECONDS, BATON_SERVER_LOG_LEVEL: "info" }, logName: "server2.log" });
      r.restart_with_empty_schedules_ready_ms = Math.round(server.readyMs);
      // The yardstick: the same start on an empty database at the same moment (on a loaded machine most of a start is Node loading Baton).
      const empty = await createDatabase(KIND, "empty");
      const control = await startServer(empty, { env: env(9) });
      r.start_empty_database_ready_ms = Math.round(control.readyMs);
      await stopServer(control);
      await empty.drop();
      r.restart_runs_present_when_ready = Number((await reader.all("select count(*) as n from flow_runs"))[0].n);
      server.ownHome = true; // removed with the server
    }
    r.db_size_mb = +((await db.sizeBytes()) / 1e6).toFixed(1);
    r.loadavg_after = loadavg();
  } finally {
    await reader.close();
    for (const s of replicas) await stopServer(s);
    await stopServer(server);
    await db.drop();
  }
  return r;
}

const out = { kind: KIND, loop_seconds: Number(LOOP_SECONDS), started: new Date().toISOString(), sizes: {} };
const tag = `${CRON === "* * * * *" ? "" : "-hourly"}${REPLICAS > 1 ? `-x${REPLICAS}` : ""}`;
const file = join(OUTDIR, `results/scheduler-${KIND}-${SIZES.join("_")}${tag}.json`);
mkdirSync(join(OUTDIR, "results"), { recursive: true });
for (const n of SIZES) {
  const rounds = [];
  for (let rep = 0; rep < REPS; rep++) {
    const r = await oneRound(n, { restart: process.env.BENCH_RESTART === "1" && rep === 0 });
    rounds.push(r);
    console.error(`${KIND} n=${n} rep ${rep + 1}: fill ${r.fill_seconds}s, ${r.runs_created} runs, cpu ${r.server_cpu_percent}%, health p50 ${r.health_during.p50_ms} max ${r.health_during.max_ms}, list p50 ${r.runs_list_during.p50_ms} max ${r.runs_list_during.max_ms}, steady cpu ${r.steady_cpu_percent}%, steady rss ${JSON.stringify(r.steady_rss_mb)}, create ${r.create_seconds}s${r.restart_with_empty_schedules_ready_ms ? `, restart ready ${r.restart_with_empty_schedules_ready_ms} ms (empty database ${r.start_empty_database_ready_ms} ms)` : ""}`);
    out.sizes[n] = {
      rounds,
      fill_seconds: mmm(rounds.map((x) => x.fill_seconds ?? NaN)),
      runs_created: rounds.map((x) => x.runs_created),
      server_cpu_percent: mmm(rounds.map((x) => x.server_cpu_percent), 0),
      health_p50_ms: mmm(rounds.map((x) => x.health_during.p50_ms)),
      health_max_ms: mmm(rounds.map((x) => x.health_during.max_ms)),
      list_p50_ms: mmm(rounds.map((x) => x.runs_list_during.p50_ms)),
      list_max_ms: mmm(rounds.map((x) => x.runs_list_during.max_ms)),
      steady_cpu_percent: mmm(rounds.map((x) => x.steady_cpu_percent), 0),
      create_seconds: mmm(rounds.map((x) => x.create_seconds)),
    };
    writeFileSync(file, JSON.stringify(out, null, 2));
  }
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(out.sizes).map(([k, v]) => [k, { ...v, rounds: undefined }])), null, 2));
