// bench/e2e's peer: the same shape (3 sequential trivial steps, each journaled with ctx.run) on
// Restate, from the ingress request to its answer (request-response: the answer is the result).
// BENCH_SAMPLES one at a time, then a burst of BENCH_BURST sent at once. Prints one JSON line.
// Needs Node 22 or later (the SDK's engines): bench/e2e/run.ts runs it with the Node 24 of this
// folder's node_modules (`npm install --prefix bench/e2e/restate`).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as restate from "@restatedev/restate-sdk";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const BURST = Number(process.env.BENCH_BURST ?? 50);
const here = dirname(fileURLToPath(import.meta.url));
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function until(check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(50);
  }
}

const three = restate.service({
  name: "three",
  handlers: {
    run: async (ctx) => {
      let n = 0;
      for (let i = 0; i < 3; i++) n = await ctx.run(`step-${i}`, async () => n + 1);
      return n;
    },
  },
});

const [ingress, admin, node, endpointPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
const base = mkdtempSync(join(tmpdir(), "restate-bench-"));
const server = spawn(join(here, "node_modules", ".bin", "restate-server"), [], {
  cwd: base,
  env: {
    ...process.env,
    RESTATE_BASE_DIR: base,
    RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingress}`,
    RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${admin}`,
    RESTATE_BIND_ADDRESS: `127.0.0.1:${node}`,
    RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${node}`,
    RESTATE_LOG_FILTER: "warn",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
try {
  await restate.serve({ services: [three], port: endpointPort });
  await until(async () => ((await fetch(`http://127.0.0.1:${admin}/health`)).ok ? true : undefined));
  await until(async () => {
    const r = await fetch(`http://127.0.0.1:${admin}/deployments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ uri: `http://127.0.0.1:${endpointPort}` }) });
    return r.ok ? true : undefined;
  });
  const call = async () => {
    const r = await fetch(`http://127.0.0.1:${ingress}/three/run`, { method: "POST", headers: { "content-type": "application/json" }, body: "null" });
    if (!r.ok) throw new Error(`ingress answered ${r.status}: ${await r.text()}`);
    if ((await r.json()) !== 3) throw new Error("wrong result");
  };
  await until(async () => (await call(), true)); // the first call waits for the deployment to be known
  await sleep(3000);
  const loadBefore = +loadavg()[0].toFixed(2);
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  await sleep(3000);
  const loadBeforeBurst = +loadavg()[0].toFixed(2);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: BURST }, () => call()));
  const burstSeconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      phase: "restate",
      node: process.version,
      p50_ms: +percentile(times, 50).toFixed(1),
      p95_ms: +percentile(times, 95).toFixed(1),
      burst_runs_per_s: +(BURST / burstSeconds).toFixed(2),
      load_before: loadBefore,
      load_before_burst: loadBeforeBurst,
    }),
  );
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => (server.exitCode === null ? server.once("close", r) : r(null)));
  rmSync(base, { recursive: true, force: true });
  process.exit(0);
}
