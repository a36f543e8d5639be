#!/usr/bin/env node
// Regenerates docs/screenshots/run-page.png, the README's picture of a flow run's page: starts
// `baton dev` on a fresh BATON_HOME and a free port, deploys and runs the ETL example through the
// worker (so the run has task runs and logs), and photographs /runs/<id> at 1400x900 in Debian's
// Chromium (BATON_CHROMIUM to use another). Build first: npm run build && node scripts/screenshot.mjs
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { makeRepository } from "./example-repository.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const baton = join(root, "packages/cli/bin/baton.js");
const output = join(root, "docs/screenshots/run-page.png");
const chromiumPath = process.env.BATON_CHROMIUM ?? "/usr/bin/chromium";
const MAX_BYTES = 300_000;

if (!existsSync(chromiumPath)) fail(`no Chromium at ${chromiumPath}: apt-get install -y chromium, or set BATON_CHROMIUM to a Chromium binary`);
if (!existsSync(join(root, "packages/ui/dist/index.html"))) fail("the web UI is not built: run npm run build first");

function fail(message) {
  console.error(`screenshot: ${message}`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The developer's own BATON_ settings (a profile's server, an API key) must not reach this throwaway setup. */
function cleanEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("BATON_")));
  return { ...env, NO_COLOR: "1", ...extra };
}

function runBaton(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [baton, ...args], { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`baton ${args.join(" ")} exited with code ${code}`))));
  });
}

async function waitFor(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const home = mkdtempSync(join(tmpdir(), "baton-screenshot-home-"));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = cleanEnv({ BATON_HOME: home, BATON_API_URL: `${base}/api` });
let devOutput = "";
const dev = spawn(process.execPath, [baton, "dev", "--port", String(port)], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
for (const stream of [dev.stdout, dev.stderr]) stream.on("data", (d) => (devOutput += d));
let repo;
let browser;
let code = 0;
try {
  await waitFor(() => {
    if (dev.exitCode !== null) throw new Error(`baton dev exited with code ${dev.exitCode}:\n${devOutput}`);
    return /Worker '.*' started on pool 'default'/.test(devOutput);
  }, "baton dev's worker to start");
  repo = makeRepository("baton-screenshot-");
  await runBaton(["deploy"], repo.work, env);
  const run = JSON.parse(await runBaton(["deployment", "run", "etl-flow/etl-local", "--watch", "--json"], repo.work, env));
  console.log(`Flow run ${run.name} (${run.id}) ended ${run.state.name}`);

  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "en-GB", timezoneId: "UTC", colorScheme: "light" });
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/runs/${run.id}`);
  await page.getByRole("heading", { level: 1, name: run.name }).waitFor();
  // The parts the picture is for: the state, the task runs and the logs.
  await page.locator(".state-badge").first().waitFor();
  await page.getByText("load-0").filter({ visible: true }).first().waitFor();
  await page.getByText("Loaded item: ALPHA").first().waitFor();
  // Charts lay out after their data arrives: let them settle.
  await page.waitForTimeout(1_000);
  mkdirSync(join(root, "docs/screenshots"), { recursive: true });
  await page.screenshot({ path: output });
  const size = statSync(output).size;
  console.log(`Saved ${output} (${Math.round(size / 1024)} kB)`);
  if (size > MAX_BYTES) {
    console.error(`screenshot: ${output} is over ${MAX_BYTES / 1000} kB: the README loads it on every visit; trim the page or the viewport`);
    code = 1;
  }
} catch (error) {
  console.error(`screenshot: ${error instanceof Error ? error.message : error}`);
  code = 1;
} finally {
  await browser?.close();
  if (dev.exitCode === null) {
    const closed = new Promise((resolve) => dev.once("close", resolve));
    dev.kill("SIGTERM");
    await closed;
  }
  if (repo) rmSync(repo.dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
process.exit(code);
