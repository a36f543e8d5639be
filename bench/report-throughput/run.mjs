// Quick measurement of POST /api/reports, the route that carries the engine's throughput
// (not a test, not CI). A server runs in its own process, as in production; this process
// prepares every report body first, then sends them one after another (or `concurrency` at
// a time) and reports task runs recorded per second, each with 3 states.
// Usage: node bench/report-throughput/run.mjs [sqlite|postgresql] [batch=1000] [total=30000] [split] [concurrency=1]
//   split: the COMPLETED states travel in the next report, as they do for tasks that outlast a batch.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { uuidv7 } from "@baton/core";

const [kind = "sqlite", batchArg = "1000", totalArg = "30000", split = "", concurrencyArg = "1"] = process.argv.slice(2);
const batch = Number(batchArg);
const total = Number(totalArg);
const concurrency = Number(concurrencyArg);
const ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres";

let url;
let drop;
if (kind === "sqlite") {
  const dir = mkdtempSync(join(tmpdir(), "baton-bench-"));
  url = `sqlite://${join(dir, "baton.db")}`;
  drop = async () => rmSync(dir, { recursive: true, force: true });
} else {
  const name = `baton_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  drop = async () => {
    const c = new pg.Client({ connectionString: ADMIN });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}

const server = spawn(
  process.execPath,
  [...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), "--input-type=module", "-e", `import { startServer } from "@baton/server"; const s = await startServer({ databaseUrl: ${JSON.stringify(url)}, port: 0, logLevel: "warn" }); console.log("URL " + s.url); process.on("SIGINT", async () => { await s.close(); process.exit(0); });`],
  { cwd: new URL("..", import.meta.url).pathname, stdio: ["ignore", "pipe", "inherit"] },
);
const base = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const match = /URL (\S+)/.exec(out);
    if (match) resolve(match[1]);
  });
  server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
});

const agent = new http.Agent({ keepAlive: true });
const post = (path, payload) =>
  new Promise((resolve, reject) => {
    const req = http.request(`${base}/api${path}`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": payload.length } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString() || "null") }));
    });
    req.on("error", reject);
    req.end(payload);
  });

const run = (await post("/flow_runs", Buffer.from(JSON.stringify({ flow_name: "bench" })))).body;
const ts = () => new Date().toISOString();
const bodies = [];
let carried = [];
for (let sent = 0; sent < total; sent += batch) {
  const taskRuns = Array.from({ length: batch }, (_, n) => ({ id: uuidv7(), flow_run_id: run.id, task_key: "noop", name: `noop-${sent + n}`, dynamic_key: String(sent + n) }));
  const states = [];
  for (const t of taskRuns) {
    states.push({ task_run_id: t.id, state: { type: "PENDING", timestamp: ts() } }, { task_run_id: t.id, state: { type: "RUNNING", timestamp: ts() } });
    if (!split) states.push({ task_run_id: t.id, state: { type: "COMPLETED", timestamp: ts(), data: { result: null } } });
  }
  bodies.push(Buffer.from(JSON.stringify({ task_runs: taskRuns, task_run_states: [...carried, ...states] })));
  carried = split ? taskRuns.map((t) => ({ task_run_id: t.id, state: { type: "COMPLETED", timestamp: ts(), data: { result: null } } })) : [];
}
if (carried.length) bodies.push(Buffer.from(JSON.stringify({ task_run_states: carried })));

// CPU time the server process spends (user + system), which the machine's load does not inflate
// the way it inflates wall-clock time: task runs per CPU-second is the server's own cost.
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};
const cpuBefore = cpuSeconds();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const answer = await post("/reports", bodies[next++]);
      if (answer.status !== 200 || answer.body.rejected.length > 0) throw new Error(JSON.stringify(answer.body).slice(0, 500));
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const serverCpu = cpuSeconds() - cpuBefore;
const peak = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1];
const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
console.log(
  `[load ${load}] ${kind}, batches of ${batch}${split ? ", COMPLETED in the next report" : ""}, ${concurrency} at a time: ` +
    `${total} task runs (${total * 3} states) in ${seconds.toFixed(2)}s = ${Math.round(total / seconds)} task runs/s; ` +
    `server CPU ${serverCpu.toFixed(2)}s = ${Math.round(total / serverCpu)} task runs per server CPU-second; server peak RSS ${Math.round(Number(peak) / 1024)} MB`,
);
agent.destroy();
server.kill("SIGINT");
await new Promise((r) => server.on("exit", r));
await drop();
