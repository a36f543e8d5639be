// bench/ui-load/waterfall.mjs: one cold load of a page, each request's start and end (ms from
// navigation start) and its encoding: where a first visit's time goes.
// node bench/ui-load/waterfall.mjs [/runs]   (an empty SQLite database; build first)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const PATH = process.argv[2] ?? "/runs";
const CHROMIUM = process.env.BATON_TEST_CHROMIUM ?? "/usr/bin/chromium";
const BATON = new URL("../../packages/cli/bin/baton.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "baton-ui-waterfall-"));
const key = `bat_${randomBytes(32).toString("base64url")}`;
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [BATON, "server", "start", "--port", String(port), "--database-url", `sqlite://${join(dir, "baton.db")}`], {
  env: { ...process.env, BATON_HOME: dir, BATON_SERVER_BOOTSTRAP_API_KEY: key, BATON_SERVER_LOG_LEVEL: "warn" },
  stdio: "ignore",
});
let browser;
try {
  for (let i = 0; !(await fetch(`${base}/api/health`).then((r) => r.ok, () => false)); i++) {
    if (i > 600) throw new Error("the server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const login = await browser.newContext({ baseURL: base });
  const page0 = await login.newPage();
  await page0.goto("/login");
  await page0.getByLabel("API key").fill(key);
  await page0.getByRole("button", { name: "Log in" }).click();
  await page0.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor({ timeout: 60_000 });
  const context = await browser.newContext({ baseURL: base, storageState: await login.storageState() });
  const page = await context.newPage();
  await page.goto(PATH, { waitUntil: "networkidle" });
  const entries = await page.evaluate(() =>
    [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map((e) => ({
      name: e.name.replace(location.origin, ""), start: e.startTime, end: e.responseEnd, bytes: e.transferSize, body: e.decodedBodySize,
    })),
  );
  for (const e of entries) console.log(`${e.start.toFixed(0).padStart(5)} -> ${e.end.toFixed(0).padStart(5)} ms  ${String(e.bytes).padStart(7)} B (${e.body} B)  ${e.name}`);
} finally {
  await browser?.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("close", r));
  rmSync(dir, { recursive: true, force: true });
}
