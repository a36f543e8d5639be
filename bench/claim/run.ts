// bench/claim (issue 14, item 5): from run creation to a waiting claim's answer, on PostgreSQL,
// beside graphile-worker's job latency on the same PostgreSQL server, alternated in one run.
//
// Baton: a real `baton server start` (its own process) on a fresh database; a long-polling claim
//   (`POST /work_pools/:name/claim` with wait_seconds) is waiting; the time is from sending
//   `POST /deployments/:id/runs` to the claim's answer, as this client sees both.
// graphile-worker: a runner (concurrency 1, LISTEN/NOTIFY) on another fresh database, idle; the
//   time is from calling addJob() (an INSERT through the library's pool) to the task function's
//   first line, in this process.
// Run by hand: `npm run build && npm install --prefix bench/claim && npx tsx bench/claim/run.ts`
// (BENCH_SAMPLES=200 per round, BENCH_ROUNDS=3). Prints p50/p95/p99 per round and the load average.
import { spawn, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { BatonClient } from "baton";
import { Logger, run as runGraphile, type Runner } from "graphile-worker";
import { testApiKey } from "../../test/helpers/api-key.js";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/databases.js";
import { freePort, tempDir } from "../../test/helpers/tmp.js";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const baton = fileURLToPath(new URL("../../packages/cli/bin/baton.js", import.meta.url));

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const summary = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms, p99 ${percentile(xs, 99).toFixed(2)} ms (${xs.length} samples)`;
const load = () => loadavg()[0]!.toFixed(2);

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface BatonSide {
  measure(samples: number): Promise<number[]>;
  close(): Promise<void>;
}

async function startBaton(db: TestDatabase): Promise<BatonSide> {
  const home = tempDir("baton-claim-bench-");
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}/api`;
  const apiKey = testApiKey();
  const env = { ...process.env, BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: apiKey, BATON_SERVER_BOOTSTRAP_API_KEY: apiKey, BATON_SERVER_LOG_LEVEL: "warn", NO_COLOR: "1" };
  // The server runs on the Node in PATH (its native SQLite module is built for it), whatever runs this script.
  const server: ChildProcess = spawn(process.env.BENCH_BATON_NODE ?? "node", [baton, "server", "start", "--port", String(port), "--database-url", db.url], { env, stdio: ["ignore", "ignore", "inherit"] });
  const client = new BatonClient({ apiUrl, apiKey });
  await until(async () => ((await fetch(`${apiUrl}/ready`).catch(() => undefined))?.ok ? true : undefined));
  await client.call("createWorkPool", { body: { name: "claim-bench", type: "process" } });
  const { deployment } = await client.call("upsertDeployment", {
    body: { flow_name: "claim-probe", name: "claim-bench", entrypoint: "probe.ts:probe", work_pool_name: "claim-bench", enforce_parameter_schema: false, pull_steps: [] },
  });
  return {
    async measure(samples) {
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const claim = client.call("claimFlowRuns", { params: { name: "claim-bench" }, body: { worker_name: "bench", wait_seconds: 10 } });
        await new Promise((r) => setTimeout(r, 10)); // the claim is waiting on the server
        const sent = performance.now();
        await Promise.all([client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } }), claim.then(() => times.push(performance.now() - sent))]);
        const answer = await claim;
        if (answer.flow_runs.length !== 1) throw new Error(`claim ${i} got ${answer.flow_runs.length} runs`);
        await client.setFlowRunState(answer.flow_runs[0]!.flow_run.id, { type: "CANCELLED" }, true);
      }
      return times;
    },
    async close() {
      server.kill("SIGTERM");
      if (server.exitCode === null) await new Promise((r) => server.once("close", r));
      await client.close();
      home.remove();
    },
  };
}

interface GraphileSide {
  measure(samples: number): Promise<number[]>;
  close(): Promise<void>;
}

async function startGraphile(db: TestDatabase): Promise<GraphileSide> {
  let started: ((at: number) => void) | undefined;
  const runner: Runner = await runGraphile({
    connectionString: db.url.replace(/^postgresql:/, "postgres:"),
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 2000,
    // Quiet: it logs a line per job otherwise, in the middle of the measurement.
    logger: new Logger(() => (level, message) => {
      if (level === "error") process.stderr.write(`graphile-worker: ${message}\n`);
    }),
    taskList: {
      probe: async () => {
        started?.(performance.now());
      },
    },
  });
  // The first job creates the schema's prepared statements: not measured.
  await new Promise<void>((resolve) => {
    started = () => resolve();
    void runner.addJob("probe", {});
  });
  return {
    async measure(samples) {
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const at = new Promise<number>((resolve) => (started = resolve));
        const sent = performance.now();
        await runner.addJob("probe", { i });
        times.push((await at) - sent);
      }
      return times;
    },
    async close() {
      await runner.stop();
    },
  };
}

const batonDb = await createTestDatabase("postgresql");
const graphileDb = await createTestDatabase("postgresql");
const batonSide = await startBaton(batonDb);
const graphileSide = await startGraphile(graphileDb);
try {
  console.log(`${new Date().toISOString()} node ${process.version}; ${SAMPLES} samples per round, ${ROUNDS} rounds alternated; PostgreSQL at ${new URL(batonDb.url).host}`);
  await batonSide.measure(20); // warm-up, unmeasured
  await graphileSide.measure(20);
  const all = { baton: [] as number[], graphile: [] as number[] };
  for (let round = 1; round <= ROUNDS; round++) {
    const before = load();
    const b = await batonSide.measure(SAMPLES);
    const mid = load();
    const g = await graphileSide.measure(SAMPLES);
    all.baton.push(...b);
    all.graphile.push(...g);
    console.log(`round ${round}: Baton run creation -> claim answer: ${summary(b)} (load ${before})`);
    console.log(`round ${round}: graphile-worker addJob -> task start: ${summary(g)} (load ${mid})`);
  }
  console.log(`all rounds: Baton ${summary(all.baton)}`);
  console.log(`all rounds: graphile-worker ${summary(all.graphile)}`);
  console.log(`ratio of p50s (Baton / graphile-worker): ${(percentile(all.baton, 50) / percentile(all.graphile, 50)).toFixed(2)}; load after ${load()}`);
} finally {
  await batonSide.close();
  await graphileSide.close();
  await batonDb.drop();
  await graphileDb.drop();
}
