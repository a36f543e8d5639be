import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium: the only browser these machines have (nothing can be downloaded). */
export const CHROMIUM = process.env.BATON_TEST_CHROMIUM ?? "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;
export const SCREENSHOTS = join(ROOT, "test-results");

/** Why the UI tests cannot run here, with the fix; undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `Chromium is not installed at ${CHROMIUM}: the UI tests drive Debian's Chromium; install it with "apt-get install -y chromium" (CI's .ci/run installs it), or set BATON_TEST_CHROMIUM to a Chromium binary`;
}

/**
 * Headless Chromium for the UI tests. A machine without it fails the test with the fix, never
 * skips it: a skipped browser test would look like a passing one.
 */
export async function launchBrowser(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
  });
}

/** A fresh browser profile (no cookies) on the server, with generous timeouts for a loaded two-core machine. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 1000 }, timezoneId: "Europe/Paris", locale: "en-GB" });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/** Log in through the login page with an API key; resolves on the dashboard. */
export async function logIn(page: Page, apiKey: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
}

/** The page as the test left it, under test-results/ (not committed), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collect what the page printed to its console as errors, and uncaught exceptions: a test can assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return errors;
}
