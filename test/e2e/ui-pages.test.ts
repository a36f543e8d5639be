import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, logIn, pageErrors } from "../helpers/browser.js";
import { waitFor } from "../helpers/cli.js";
import { startUiStack, type UiStack } from "./ui-fixture.js";
import { FIRING_AUTOMATION, seedUiData, type Seeded } from "./ui-seed.js";

/**
 * Issue 21's "done means": every page at desktop (1440x900) and phone (390x844) sizes on a data
 * set like the issue's, axe-core on each page in both themes (no serious or critical violation),
 * no page wider than a 360 px screen, and a screenshot of each into docs/screenshots/.
 */
const SLOW = 300_000;
const ROOT = new URL("../../", import.meta.url).pathname;
const SHOTS = join(ROOT, "docs", "screenshots");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface PageCase {
  name: string;
  path: (s: Seeded, ids: Ids) => string;
  /** What shows once the page has its data. */
  ready: (page: Page, s: Seeded) => Promise<unknown>;
}
interface Ids {
  failedRunId: string;
  completedRunId: string;
}

const h1 = (page: Page, name?: string | RegExp) => page.getByRole("heading", { level: 1, ...(name ? { name } : {}) }).waitFor();
const PAGES: PageCase[] = [
  { name: "dashboard", path: () => "/", ready: async (p) => { await h1(p, "Dashboard"); await p.locator(".runs-chart").first().waitFor(); } },
  { name: "runs", path: () => "/runs", ready: async (p) => { await h1(p, "Flow runs"); await p.getByRole("table").first().waitFor(); } },
  { name: "run-big", path: (s) => `/runs/${s.bigRunId}`, ready: async (p) => { await h1(p, "big-backfill-700"); await p.getByRole("log", { name: "Logs" }).getByText("Showing the last 500 of 3501 lines.").waitFor(); await p.locator("svg.gantt").waitFor(); } },
  { name: "run-failed", path: (_, ids) => `/runs/${ids.failedRunId}`, ready: async (p) => { await h1(p); await p.getByRole("heading", { level: 2, name: "Error" }).waitFor(); await p.getByRole("log", { name: "Logs" }).getByText("does not exist").first().waitFor(); } },
  // A run paused in pauseFlowRun waiting for input: the resume form drawn from its input schema.
  { name: "run-paused-input", path: (s) => `/runs/${s.pausedRunId}`, ready: async (p, s) => { await h1(p, s.pausedRunName); const form = p.getByRole("form", { name: "Resume run" }); await form.getByRole("heading", { name: "This run waits for input" }).waitFor(); await form.getByLabel("reviewer").waitFor(); await form.getByLabel("load_after").waitFor(); } },
  { name: "run-completed", path: (_, ids) => `/runs/${ids.completedRunId}`, ready: async (p) => { await h1(p); await p.getByRole("log", { name: "Logs" }).getByText("Loaded item").first().waitFor(); } },
  { name: "deployments", path: () => "/deployments", ready: async (p) => { await h1(p, "Deployments"); await p.getByRole("table").first().waitFor(); } },
  { name: "deployment", path: (s) => `/deployments/${s.deploymentId}`, ready: async (p) => { await h1(p); await p.getByRole("form", { name: "Run deployment" }).getByRole("group", { name: "tables[1]" }).waitFor(); } },
  // The run form's editors with a row added and a try to run: the problems named by their path.
  { name: "deployment-run-form", path: (s) => `/deployments/${s.deploymentId}`, ready: async (p) => { await h1(p); const form = p.getByRole("form", { name: "Run deployment" }); await form.getByRole("button", { name: "Add item tables[2]" }).click(); await form.getByRole("button", { name: "Run", exact: true }).click(); await form.getByText("tables[2].name: required: enter a value").scrollIntoViewIfNeeded(); } },
  { name: "work-pools", path: () => "/work-pools", ready: async (p) => { await h1(p, "Work pools"); await p.getByRole("table").first().waitFor(); } },
  { name: "work-pool", path: () => "/work-pools/runs", ready: async (p) => { await h1(p, "runs"); await p.getByLabel("Base job template").waitFor(); } },
  { name: "deployment-add-schedule", path: (s) => `/deployments/${s.deploymentId}`, ready: async (p) => { await h1(p); await p.getByRole("button", { name: "Add a schedule" }).click(); await p.getByRole("form", { name: "Add a schedule" }).getByText(/^weekdays at 09:00/).waitFor(); } },
  { name: "work-pools-new", path: () => "/work-pools", ready: async (p) => { await h1(p, "Work pools"); await p.getByRole("button", { name: "New work pool" }).click(); await p.getByRole("form", { name: "Create a work pool" }).waitFor(); } },
  { name: "flows", path: () => "/flows", ready: async (p) => { await h1(p, "Flows"); await p.getByRole("table", { name: "Flows" }).getByRole("link", { name: "warehouse-sync-flow" }).waitFor(); await p.locator(".last-runs a").first().waitFor(); } },
  { name: "variables", path: () => "/variables", ready: async (p) => { await h1(p, "Variables"); await p.getByRole("table", { name: "Variables" }).getByText("connection-defaults-of-the-data-platform-team").waitFor(); } },
  { name: "artifacts", path: () => "/artifacts", ready: async (p) => { await h1(p, "Artifacts"); await p.getByRole("link", { name: "partition-counts" }).waitFor(); await p.getByRole("link", { name: "Backfill dashboard" }).waitFor(); } },
  { name: "automations", path: () => "/automations", ready: async (p) => { await h1(p, "Automations"); await p.getByRole("table", { name: `Recent firings of ${FIRING_AUTOMATION}` }).getByText("run entered Failed").waitFor(); } },
  { name: "notifications", path: () => "/notifications", ready: async (p) => { await h1(p, "Notifications"); await p.getByRole("table", { name: "Notification rules" }).getByText("ops-webhook").waitFor(); await p.getByRole("table", { name: "Deliveries" }).getByText("test message").waitFor(); } },
  { name: "automations-new", path: () => "/automations", ready: async (p) => { await h1(p, "Automations"); await p.getByRole("button", { name: "New automation" }).click(); await p.getByLabel("Name", { exact: true }).fill("bad name"); await p.getByRole("form", { name: "New automation" }).locator(".field-error").first().waitFor(); } },
  { name: "notifications-new", path: () => "/notifications", ready: async (p) => { await h1(p, "Notifications"); await p.getByRole("button", { name: "New notification rule" }).click(); await p.getByLabel("Webhook URL").fill("hooks.example.com"); await p.getByRole("form", { name: "New notification rule" }).getByText(/must be a URL/).waitFor(); } },
  { name: "concurrency-limits", path: () => "/concurrency-limits?limit=warehouse", ready: async (p) => { await h1(p, "Concurrency limits"); await p.getByRole("table", { name: "Concurrency limits" }).getByText("Task runs tagged backfill").waitFor(); await p.getByRole("region", { name: "Limit details" }).getByText("1 of 2").waitFor(); } },
  { name: "concurrency-limits-new", path: () => "/concurrency-limits", ready: async (p) => { await h1(p, "Concurrency limits"); await p.getByRole("button", { name: "New concurrency limit" }).click(); await p.getByLabel("Name", { exact: true }).fill("bad name"); await p.getByRole("form", { name: "New concurrency limit" }).locator(".field-error").first().waitFor(); } },
  { name: "events", path: () => "/events", ready: async (p) => { await h1(p, "Events"); await p.getByLabel("Work pool").locator("option", { hasText: "nightly" }).waitFor({ state: "attached" }); await p.getByRole("button", { name: "Pause" }).waitFor(); await p.getByRole("button", { name: "Load older" }).waitFor(); await p.getByRole("status").getByText("Live.").waitFor(); } },
  { name: "audit", path: () => "/audit", ready: async (p) => { await h1(p, "Audit log"); await p.getByRole("table", { name: "Audit log" }).getByText("setVariable").first().waitFor(); } },
  { name: "settings", path: () => "/settings", ready: async (p) => { await h1(p, "Settings"); await p.getByRole("table").first().waitFor(); } },
  { name: "not-found", path: () => "/no/such/page", ready: (p) => h1(p, "Not found") },
  { name: "run-missing", path: () => "/runs/0190a0a0-0000-7000-8000-000000000000", ready: async (p) => { await h1(p, "Flow run not found"); await p.getByRole("link", { name: "All flow runs" }).waitFor(); } },
  { name: "task-run", path: (s) => `/task-runs/${s.failedTaskId}`, ready: async (p, s) => { await h1(p, s.failedTaskName); await p.getByRole("log", { name: "Logs" }).getByText("partition 437 has 3 rows").waitFor(); } },
];

async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    const run = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ["violations"] });
    return result_(run.violations);
    function result_(v: { id: string; impact: string; nodes: { target: string[] }[] }[]) {
      return v.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => `${x.impact} ${x.id}: ${x.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ")}${x.nodes.length > 4 ? ` (+${x.nodes.length - 4})` : ""}`);
    }
  });
  return result;
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const setTheme = (page: Page, theme: "light" | "dark") => page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);

describe("every page of the UI, at desktop and phone sizes, in both themes", () => {
  let stack: UiStack;
  let browser: Browser;
  let seeded: Seeded;
  let ids: Ids;
  let desktop: Page;
  let phone: Page;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const timings: Record<string, number> = {};
  const figures: Record<string, unknown> = {};

  const open = async (size: { width: number; height: number }) => {
    // bypassCSP: axe-core comes in as an inline script, which Baton's CSP refuses.
    const context = await browser.newContext({ baseURL: stack.baseUrl, viewport: size, timezoneId: "Europe/Paris", locale: "en-GB", bypassCSP: true, hasTouch: size.width < 500 });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(60_000);
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...pageErrors(page));
    await logIn(page, stack.adminKey);
    return page;
  };

  beforeAll(async () => {
    const setupStarted = Date.now();
    browser = await launchBrowser();
    stack = await startUiStack("sqlite");
    // A few real runs through the stack's process worker: their logs, states and errors are the SDK's own.
    const run = async (ref: string, body: unknown) => {
      const created = await stack.api("POST", `/deployments/${(await stack.deployment(ref)).id}/runs`, body);
      return created.id as string;
    };
    const [completed, failed, more] = await Promise.all([run("etl-flow/etl", { parameters: { limit: 3 } }), run("fail-flow/fail", {}), run("etl-flow/etl", {})]);
    // The data is seeded while the worker runs those three.
    seeded = await seedUiData(stack);
    desktop = await open(DESKTOP);
    phone = await open(PHONE);
    await Promise.all([
      stack.waitForRun(completed, (r) => r.state_type === "COMPLETED", "to complete"),
      stack.waitForRun(failed, (r) => r.state_type === "FAILED", "to fail"),
      stack.waitForRun(more, (r) => r.state_type === "COMPLETED", "to complete"),
    ]);
    ids = { failedRunId: failed, completedRunId: completed };
    // The failed run fires an automation: its firing is on the automations page.
    await waitFor(async () => ((await stack.api("GET", `/automation_firings?automation=${FIRING_AUTOMATION}`)).items.length > 0 ? true : undefined), "the failed run to fire its automation", 60_000);
    mkdirSync(SHOTS, { recursive: true });
    figures.setup_ms = Date.now() - setupStarted;
  }, SLOW);
  afterAll(async () => {
    // Figures for a person (vitest hides a passing test's console): test-results/ui-pages-figures.json.
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    writeFileSync(join(ROOT, "test-results", "ui-pages-figures.json"), `${JSON.stringify({ ready_after_navigation_ms: timings, ...figures }, null, 2)}\n`);
    await browser?.close();
    await stack?.stop();
  }, SLOW);

  for (const pageCase of PAGES) {
    it(`${pageCase.name}: no serious accessibility problem in either theme, fits a 360 px screen`, async () => {
      const path = pageCase.path(seeded, ids);
      // The phone walks the page while the desktop's axe runs: the browser waits on the server as much as it works.
      const onPhone = (async () => {
        await phone.setViewportSize(PHONE);
        await phone.goto(path);
        await pageCase.ready(phone, seeded);
        await phone.screenshot({ path: join(SHOTS, `${pageCase.name}-phone.png`) });
        await phone.setViewportSize({ width: 360, height: 780 });
        await expect.poll(() => overflow(phone), { message: `${path} is wider than a 360 px screen`, timeout: 5_000 }).toBeLessThanOrEqual(0);
      })().then(
        () => undefined,
        (error: unknown) => error, // awaited below, after the desktop's checks
      );
      const started = Date.now();
      await desktop.goto(path);
      await pageCase.ready(desktop, seeded);
      timings[pageCase.name] = Date.now() - started;
      await setTheme(desktop, "light");
      await desktop.screenshot({ path: join(SHOTS, `${pageCase.name}-desktop.png`) });
      const light = await axeSerious(desktop);
      await setTheme(desktop, "dark");
      const dark = await axeSerious(desktop);
      if (["dashboard", "run-big"].includes(pageCase.name)) await desktop.screenshot({ path: join(SHOTS, `${pageCase.name}-desktop-dark.png`) });
      await setTheme(desktop, "light");

      const phoneError = await onPhone;
      if (phoneError) throw phoneError;

      // axe at desktop size only: the phone layout has the same colours, names and roles, and a
      // third pass would add a minute to the suite on a loaded machine.
      expect({ light, dark }).toEqual({ light: [], dark: [] });
    }, SLOW);
  }

  it("a 700-task run: every task run reachable, cuts announced, the failed task one click away, logs by task", async () => {
    const page = desktop;
    await page.goto(`/runs/${seeded.bigRunId}`);
    await page.getByText("Showing the first 100 of 700 task runs.").waitFor();
    await page.getByText("1–50 of 700").waitFor();
    // The logs: the last 500 of 3,501 lines, said so, the earlier ones a click away; the flow
    // run's own first line by the task filter.
    const logs = page.getByRole("log", { name: "Logs" });
    await logs.getByText("Showing the last 500 of 3501 lines.").waitFor();
    await logs.getByRole("button", { name: "Show 500 earlier lines" }).click();
    await logs.getByText("Showing the last 1000 of 3501 lines.").waitFor();
    await page.getByLabel("Task run", { exact: true }).selectOption({ label: "The flow run's own lines" });
    await logs.getByText("Starting the backfill of 700 partitions").waitFor();
    await page.getByLabel("Task run", { exact: true }).selectOption({ label: "All lines" });
    await page.getByRole("button", { name: `Jump to the failed task (${seeded.failedTaskName})` }).click();
    await page.locator("svg.gantt a.marked").waitFor();
    expect(await page.getByText(/Showing the first 100/).count()).toBe(0);
    // Each line names its task run; the run spans midnight, so each line carries its date.
    await page.getByLabel("Task run", { exact: true }).selectOption({ label: seeded.failedTaskName });
    await expect.poll(() => logs.locator(".log-line").count()).toBe(5);
    const line = logs.locator(".log-line", { hasText: "partition 437 has 3 rows" });
    expect(await line.locator("time").innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // From the log line to the task run's page: its states, inputs, error and its own logs.
    await line.getByRole("link", { name: seeded.failedTaskName }).click();
    await h1(page, seeded.failedTaskName);
    await page.getByRole("heading", { level: 2, name: "Error" }).waitFor();
    await page.getByText("partition", { exact: true }).waitFor();
    await expect.poll(() => page.getByRole("log", { name: "Logs" }).locator(".log-line").count()).toBe(5);
  }, SLOW);

  it("answers a 700-task run's task runs and logs compressed", async () => {
    // node:http, not fetch: fetch decodes the body, and the bytes on the wire are the point.
    const size = (path: string, encoding: string) =>
      new Promise<{ encoding: string | undefined; bytes: number }>((resolve, reject) => {
        const request = httpGet(`${stack.baseUrl}/api${path}`, { headers: { authorization: `Bearer ${stack.adminKey}`, "accept-encoding": encoding } }, (response) => {
          let bytes = 0;
          response.on("data", (chunk: Buffer) => (bytes += chunk.length));
          response.on("end", () => resolve({ encoding: response.headers["content-encoding"], bytes }));
        });
        request.on("error", reject);
      });
    const sizes: Record<string, string> = {};
    for (const path of [`/task_runs?flow_run_id=${seeded.bigRunId}&limit=500`, `/logs?flow_run_id=${seeded.bigRunId}&limit=5000`]) {
      const plain = await size(path, "identity");
      const br = await size(path, "br, gzip");
      expect(plain.encoding).toBeUndefined();
      expect(br.encoding).toBe("br");
      expect(br.bytes * 4).toBeLessThan(plain.bytes);
      sizes[path.split("?")[0]!] = `${Math.round(plain.bytes / 1024)} KB -> ${Math.round(br.bytes / 1024)} KB`;
    }
    figures.big_run_answers_json_to_brotli = sizes;
  }, SLOW);

  it("the overflow check sees a page wider than the screen (it can fail)", async () => {
    await phone.setViewportSize({ width: 360, height: 780 });
    await phone.goto("/settings");
    await h1(phone, "Settings");
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await phone.evaluate(() => document.querySelector("main")!.insertAdjacentHTML("beforeend", '<div style="width: 500px; height: 10px"></div>'));
    expect(await overflow(phone)).toBeGreaterThan(0);
  }, SLOW);

  it("a desktop shows the whole menu and the session's buttons in one row", async () => {
    await desktop.setViewportSize(DESKTOP);
    await desktop.goto("/flows");
    await h1(desktop, "Flows");
    const header = await desktop.locator("header").boundingBox();
    expect(header!.height).toBeLessThan(70);
    for (const name of ["Flows", "Variables", "Audit log", "Settings"]) expect(await desktop.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
  }, SLOW);

  it("a phone shows a one-row header whose menu opens", async () => {
    await phone.setViewportSize(PHONE);
    await phone.goto("/runs");
    await h1(phone, "Flow runs");
    const header = await phone.locator("header").boundingBox();
    expect(header!.height).toBeLessThan(70);
    expect(await phone.getByRole("link", { name: "Deployments" }).isVisible()).toBe(false);
    await phone.getByRole("button", { name: "Menu" }).click();
    await phone.getByRole("link", { name: "Deployments" }).click();
    await h1(phone, "Deployments");
    expect(await phone.getByRole("link", { name: "Work pools" }).isVisible()).toBe(false);
  }, SLOW);

  it("printed no error in the browser's console", () => {
    expect(errors).toEqual([]);
  });
});
