// bench/dispatch-latency: how fast a run gets going, on SQLite and PostgreSQL.
// 1. run creation -> claim: a worker's long-polling claim is waiting; the time from sending
//    `POST /deployments/:id/runs` to that claim's answer (no process started).
// 2. `deployment run` -> the flow's first line: a real `baton worker start` (process pool) is idle;
//    the time from sending the run request to the first line of the flow function, which writes
//    Date.now() to a file. The code is already on the machine (a set_working_directory pull step).
// Also the idle worker's resident memory. Run by hand: `npm run build && npx tsx bench/dispatch-latency/run.ts`
// (BENCH_CLAIM_SAMPLES=200, BENCH_RUN_SAMPLES=200, BENCH_DATABASES=sqlite,postgresql).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BatonClient } from "baton";
import { testApiKey } from "../../test/helpers/api-key.js";
import { createTestDatabase, type DatabaseKind } from "../../test/helpers/databases.js";
import { freePort, tempDir } from "../../test/helpers/tmp.js";

const CLAIM_SAMPLES = Number(process.env.BENCH_CLAIM_SAMPLES ?? 200);
const RUN_SAMPLES = Number(process.env.BENCH_RUN_SAMPLES ?? 200);
const baton = fileURLToPath(new URL("../../packages/cli/bin/baton.js", import.meta.url));

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const summary = (xs: number[]) => ({ samples: xs.length, p50_ms: +percentile(xs, 50).toFixed(1), p95_ms: +percentile(xs, 95).toFixed(1), p99_ms: +percentile(xs, 99).toFixed(1) });

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [baton, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function benchOne(kind: DatabaseKind) {
  const db = await createTestDatabase(kind);
  const home = tempDir("baton-dispatch-");
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}/api`;
  // Authentication is on, as on a real server: one admin key for the server's bootstrap, the worker and this client.
  const apiKey = testApiKey();
  const env = { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: apiKey, BATON_SERVER_BOOTSTRAP_API_KEY: apiKey, BATON_SERVER_LOG_LEVEL: "warn", BATON_LOGGING_LEVEL: "WARNING", NO_COLOR: "1" };
  const server = start(["server", "start", "--port", String(port), "--database-url", db.url], env);
  let worker: ChildProcess | undefined;
  const client = new BatonClient({ apiUrl, apiKey });
  try {
    await until(async () => ((await fetch(`${apiUrl}/ready`).catch(() => undefined))?.ok ? true : undefined));
    const code = join(home.path, "code");
    const marks = join(home.path, "marks.txt");
    writeFileSync(join(home.path, "marks.txt"), "");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(code);
    writeFileSync(
      join(code, "probe.ts"),
      `import { appendFileSync } from "node:fs";\nimport { flow } from "baton";\n` +
        `export const probe = flow({ name: "latency-probe" }, async ({ id }: { id: string }) => { appendFileSync(${JSON.stringify(marks)}, id + " " + Date.now() + "\\n"); });\n`,
    );
    for (const pool of ["claim-bench", "run-bench"]) await client.call("createWorkPool", { body: { name: pool, type: "process" } });
    const deployment = async (pool: string) =>
      (
        await client.call("upsertDeployment", {
          body: { flow_name: "latency-probe", name: pool, entrypoint: "probe.ts:probe", work_pool_name: pool, enforce_parameter_schema: false, pull_steps: [{ set_working_directory: { directory: code } }] },
        })
      ).deployment;

    // 1. creation -> claim, with the claim already waiting.
    const claimDeployment = await deployment("claim-bench");
    const claims: number[] = [];
    for (let i = 0; i < CLAIM_SAMPLES; i++) {
      const claim = client.call("claimFlowRuns", { params: { name: "claim-bench" }, body: { worker_name: "bench", wait_seconds: 10 } });
      await new Promise((r) => setTimeout(r, 20)); // let the claim start waiting
      const sent = performance.now();
      await client.call("runDeployment", { params: { id: claimDeployment.id }, body: { parameters: { id: String(i) } } });
      const answer = await claim;
      claims.push(performance.now() - sent);
      if (answer.flow_runs.length !== 1) throw new Error(`claim ${i} got ${answer.flow_runs.length} runs`);
      await client.setFlowRunState(answer.flow_runs[0]!.flow_run.id, { type: "CANCELLED" }, true);
    }

    // 2. deployment run -> first line of the flow, through a real idle process worker.
    worker = start(["worker", "start", "--pool", "run-bench", "--limit", "1", "--name", "bench-worker"], env);
    await new Promise((r) => setTimeout(r, 4000));
    const idleWorkerRss = rssMb(worker.pid!);
    const runDeployment = await deployment("run-bench");
    const firstLines: number[] = [];
    for (let i = 0; i < RUN_SAMPLES; i++) {
      const id = `run-${i}`;
      const sentAt = Date.now();
      const run = await client.call("runDeployment", { params: { id: runDeployment.id }, body: { parameters: { id } } });
      const at = await until(() => {
        const line = readFileSync(marks, "utf8").split("\n").find((l) => l.startsWith(`${id} `));
        return line ? Number(line.split(" ")[1]) : undefined;
      });
      firstLines.push(at - sentAt);
      await until(async () => ((await client.readFlowRun(run.id)).state_type === "COMPLETED" ? true : undefined));
    }
    return { claim: summary(claims), firstLine: summary(firstLines), idleWorkerRssMb: +idleWorkerRss.toFixed(1) };
  } finally {
    worker?.kill("SIGTERM");
    server.kill("SIGTERM");
    await Promise.all([worker, server].filter((p): p is ChildProcess => !!p && p.exitCode === null).map((p) => new Promise((r) => p.once("close", r))));
    await client.close();
    await db.drop();
    if (existsSync(home.path)) home.remove();
  }
}

for (const kind of (process.env.BENCH_DATABASES ?? "sqlite,postgresql").split(",") as DatabaseKind[]) {
  const r = await benchOne(kind);
  console.log(`${kind}: creation -> claim ${JSON.stringify(r.claim)}`);
  console.log(`${kind}: deployment run -> flow's first line ${JSON.stringify(r.firstLine)}`);
  console.log(`${kind}: idle worker RSS ${r.idleWorkerRssMb} MB`);
}
process.exit(0);
