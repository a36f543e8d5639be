// bench/ui-load: how fast the web UI's first pages load with 100,000 runs in SQLite.
// node bench/ui-load/run.mjs   (BENCH_RUNS=100000, BENCH_SAMPLES=5; build first: npm run build)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";
import { seed } from "./seed.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const CHROMIUM = process.env.BATON_TEST_CHROMIUM ?? "/usr/bin/chromium";
const BATON = new URL("../../packages/cli/bin/baton.js", import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), "baton-ui-load-"));
const url = `sqlite://${join(dir, "baton.db")}`;
const key = `bat_${randomBytes(32).toString("base64url")}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let server;
let browser;
try {
  let t = performance.now();
  await seed(url, RUNS);
  console.log(`seeded ${RUNS} runs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn(process.execPath, [BATON, "server", "start", "--port", String(port), "--database-url", url], {
    env: { ...process.env, BATON_HOME: dir, BATON_SERVER_BOOTSTRAP_API_KEY: key, BATON_SERVER_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited: ${output}`);
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 600) throw new Error(`the server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"] });

  // One session, reused: what is measured is a page, not the login.
  const login = await browser.newContext({ baseURL: base });
  const loginPage = await login.newPage();
  await loginPage.goto("/login");
  await loginPage.getByLabel("API key").fill(key);
  await loginPage.getByRole("button", { name: "Log in" }).click();
  await loginPage.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor({ timeout: 60_000 });
  const storageState = await login.storageState();
  await login.close();

  // Navigation start -> load event, and -> the page's first data on screen (the runs table's first
  // row; the dashboard's chart and failures list), each in a fresh context (cold HTTP cache) and
  // again in the same context (warm: bundles cached, as on a second visit).
  const pages = [
    { path: "/runs", ready: 'table[aria-label="Flow runs"] tbody tr' },
    { path: "/", ready: "main svg, main table tbody tr" },
  ];
  const results = [];
  for (const { path, ready } of pages) {
    const cold = { load: [], data: [] };
    const warm = { load: [], data: [] };
    for (let i = 0; i < SAMPLES; i++) {
      const context = await browser.newContext({ baseURL: base, storageState });
      // Stamp, inside the page, the moment the data first appears: no test-driver round trip in it.
      await context.addInitScript((selector) => {
        const stamp = () => {
          if (window.__firstData === undefined && document.querySelector(selector)) window.__firstData = performance.now();
        };
        new MutationObserver(stamp).observe(document, { childList: true, subtree: true });
      }, ready);
      const page = await context.newPage();
      for (const sample of [cold, warm]) {
        await page.goto(path, { waitUntil: "load" });
        await page.waitForFunction(() => window.__firstData !== undefined, null, { timeout: 60_000 });
        const [load, data] = await page.evaluate(() => [performance.getEntriesByType("navigation")[0].loadEventEnd, window.__firstData]);
        sample.load.push(load);
        sample.data.push(data);
      }
      await context.close();
    }
    const api = [];
    for (let i = 0; i < SAMPLES; i++) {
      const q = path === "/runs" ? "/api/flow_runs?limit=50" : `/api/stats/flow_runs?since=${new Date(Date.now() - 86_400_000).toISOString()}&bucket_seconds=3600`;
      const s = performance.now();
      const r = await fetch(base + q, { headers: { authorization: `Bearer ${key}` } });
      await r.text();
      api.push(performance.now() - s);
    }
    results.push({ path, cold, warm, api });
  }
  // The run list's filters on the same database: server time of one page of 50 (keyset).
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  const queries = [
    "limit=50",
    "limit=50&state=FAILED,CRASHED",
    "limit=50&state=Late",
    "limit=50&flow_name=bench-flow-7",
    "limit=50&tag=nightly",
    "limit=50&tag=missing-tag",
    `limit=50&expected_start_after=${dayAgo}`,
    `limit=50&state=FAILED&created_after=${dayAgo}`,
  ];
  const listTimes = [];
  for (const q of queries) {
    const times = [];
    let cursor = null;
    for (let i = 0; i < SAMPLES; i++) {
      const s = performance.now();
      const r = await fetch(`${base}/api/flow_runs?${q}${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${key}` } });
      const body = await r.json();
      times.push(performance.now() - s);
      cursor = body.next_cursor; // each sample one page deeper
    }
    listTimes.push([q.replace(/expected_start_after=[^&]+/, "expected_start_after=<24h ago>").replace(/created_after=[^&]+/, "created_after=<24h ago>"), median(times)]);
  }
  console.log(`\n${RUNS} runs, ${SAMPLES} samples each, medians in ms (node ${process.version})`);
  console.log("page        | cold load | cold first data | warm load | warm first data | its main API call");
  for (const r of results) {
    console.log(`${r.path.padEnd(11)} | ${median(r.cold.load).toFixed(0).padStart(9)} | ${median(r.cold.data).toFixed(0).padStart(15)} | ${median(r.warm.load).toFixed(0).padStart(9)} | ${median(r.warm.data).toFixed(0).padStart(15)} | ${median(r.api).toFixed(0).padStart(6)}`);
  }
  console.log("\nGET /api/flow_runs?...  (one page of 50, each sample one page deeper)");
  for (const [q, ms] of listTimes) console.log(`${q.padEnd(60)} ${ms.toFixed(0).padStart(6)} ms`);
} finally {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("close", r));
  }
  rmSync(dir, { recursive: true, force: true });
}
