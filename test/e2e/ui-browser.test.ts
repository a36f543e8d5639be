import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchBrowser, logIn, newContext, pageErrors, screenshot } from "../helpers/browser.js";
import { startUiStack, type UiStack } from "./ui-fixture.js";

/** A real server, worker and browser on a busy two-core machine: every step takes seconds. */
const SLOW = 300_000;

/**
 * The web UI's "done means" (issue 6), in headless Chromium against `baton server start` with
 * authentication on and a real process worker. SQLite: the API's own tests cover both databases.
 */
// Its own test, so a machine without Chromium counts a failed test (a failing beforeAll only
// marks the tests below skipped), with the fix in the message.
it("finds Debian's Chromium to drive", () => {
  expect(chromiumMissing()).toBeUndefined();
});

describe("the web UI in a browser", () => {
  let stack: UiStack;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser(); // first: no Chromium fails at once, with the fix
    stack = await startUiStack("sqlite");
    const context = await newContext(browser, stack.baseUrl);
    page = await context.newPage();
    errors = pageErrors(page);
    // Every test starts logged in as the admin; the login test logs in on a page of its own.
    await logIn(page, stack.adminKey);
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, SLOW);


  it("logs in with an API key, and refuses a wrong one with the server's message", async () => {
    const context = await newContext(browser, stack.baseUrl);
    const page = await context.newPage();
    const loginErrors = pageErrors(page);
    try {
      await page.goto("/");
      await page.waitForURL(/\/login/);
      await page.getByLabel("API key").fill("bat_not-a-real-key");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/\S/);
      await logIn(page, stack.adminKey);
      await expect.poll(() => page.getByRole("link", { name: "Flow runs" }).count()).toBeGreaterThan(0);
      await screenshot(page, "ui-login-dashboard");
    } finally {
      errors.push(...loginErrors);
      await context.close();
    }
  }, SLOW);

  it("runs a deployment from its Run form with a parameter changed, and shows its logs as they arrive", async () => {
    await page.getByRole("link", { name: "Deployments" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Deployments" }).waitFor();
    await page.getByRole("link", { name: "etl-flow/etl" }).click();
    await page.getByRole("heading", { level: 1, name: "etl-flow/etl" }).waitFor();
    const form = page.getByRole("form", { name: "Run deployment" });
    await form.getByLabel("limit", { exact: true }).fill("4");
    let navigations = 0;
    page.on("framenavigated", (frame) => frame === page.mainFrame() && navigations++);
    // The pool is paused until the run's page is open: the page opens before the run starts,
    // however slowly the browser goes, and the logs can only reach it by streaming.
    await stack.api("PATCH", "/work_pools/runs", { paused: true });
    let id: string;
    try {
      await form.getByRole("button", { name: "Run", exact: true }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}/);
      id = /\/runs\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.getByRole("log", { name: "Logs" }).waitFor();
      const atOpen = await stack.api("GET", `/flow_runs/${id}`);
      expect(["SCHEDULED", "PENDING"], "the run started before its page opened: nothing left to stream").toContain(atOpen.state_type);
    } finally {
      await stack.api("PATCH", "/work_pools/runs", { paused: false });
    }
    // The logs stream in while the page stays open.
    const logs = page.getByRole("log", { name: "Logs" });
    await logs.getByText("Loaded item: DELTA").waitFor({ timeout: 180_000 });
    await page.locator('h1 + .state-badge[data-state-type="COMPLETED"]').waitFor({ timeout: 60_000 });
    const run = await stack.api("GET", `/flow_runs/${id}`);
    expect(run).toMatchObject({ parameters: { limit: 4 }, state_type: "COMPLETED" });
    expect(navigations, "the run page must update without a reload").toBeLessThanOrEqual(1);
    await screenshot(page, "ui-run-live-logs");
  }, SLOW);

  it("shows a failed run's error with its stack, and retries it", async () => {
    const deployment = await stack.deployment("fail-flow/fail");
    const created = await stack.api("POST", `/deployments/${deployment.id}/runs`, {});
    await stack.waitForRun(created.id, (r) => r.state_type === "FAILED", "to fail");
    await page.goto(`/runs/${created.id}`);
    await page.locator('h1 + .state-badge[data-state-type="FAILED"]').waitFor();
    await page.getByRole("heading", { level: 2, name: "Error" }).waitFor();
    const stackText = await page.getByLabel("Error stack").innerText();
    expect(stackText).toContain("source s3://bucket/missing.csv does not exist");
    expect(stackText).toMatch(/fail\.ts/);
    // Once on the page outside the run's own log lines, with the flow's frames, not Baton's.
    await page.getByRole("heading", { level: 2, name: "State history" }).waitFor();
    await expect.poll(() => page.locator(".timeline li").count()).toBeGreaterThan(2);
    const pageText = await page.locator("main").innerText();
    const logText = await page.getByRole("log", { name: "Logs" }).innerText();
    const times = (text: string) => text.split("source s3://bucket/missing.csv does not exist").length - 1;
    expect(times(pageText) - times(logText), pageText).toBe(1);
    expect(stackText).not.toMatch(/packages\/sdk\/dist|node_modules\/(baton|tsx)\//);
    await screenshot(page, "ui-failed-run");
    // Retry: scheduled again with the same parameters, the worker runs it a second time.
    await page.getByRole("button", { name: "Retry" }).click();
    const current = () => page.locator("h1 + .state-badge").getAttribute("data-state-type");
    await expect.poll(current, { timeout: 60_000 }).not.toBe("FAILED"); // Scheduled again, live
    const second = await stack.waitForRun(created.id, (r) => r.run_count === 2 && r.state_type === "FAILED", "to fail a second time");
    expect(second.parameters).toEqual(created.parameters);
    await expect.poll(current, { timeout: 60_000 }).toBe("FAILED");
  }, SLOW);

  it("says why a run in a pool with no worker has not started", async () => {
    const deployment = await stack.deployment("etl-flow/idle");
    const created = await stack.api("POST", `/deployments/${deployment.id}/runs`, {});
    await page.goto(`/runs/${created.id}`);
    const banner = page.getByRole("status").filter({ hasText: "Why has this run not started?" });
    await banner.waitFor();
    const why = await stack.api("GET", `/flow_runs/${created.id}/why`);
    const text = await banner.innerText();
    expect(why.reasons?.length ?? 0).toBeGreaterThan(0);
    for (const reason of why.reasons) expect(text).toContain(reason.message);
    expect(text).toContain("idle");
    await screenshot(page, "ui-why-not-started");
  }, SLOW);

  it("cancels a running run", async () => {
    const deployment = await stack.deployment("slow-flow/slow");
    const created = await stack.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { seconds: 600 } });
    await page.goto(`/runs/${created.id}`);
    await stack.waitForRun(created.id, (r) => r.state_type === "RUNNING", "to be running");
    await page.locator('h1 + .state-badge[data-state-type="RUNNING"]').waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    // One click only asks; nothing is cancelled until the second.
    await page.getByRole("alertdialog").waitFor();
    expect((await stack.api("GET", `/flow_runs/${created.id}`)).state_type).toBe("RUNNING");
    await page.getByRole("button", { name: "Yes, cancel the run" }).click();
    await page.locator('h1 + .state-badge[data-state-type="CANCELLED"]').waitFor({ timeout: 120_000 });
    expect((await stack.api("GET", `/flow_runs/${created.id}`)).state_type).toBe("CANCELLED");
    await screenshot(page, "ui-cancelled-run");
  }, SLOW);

  it("checks a pool's template as it is edited, and shows the server's refusal of a mistake", async () => {
    await page.goto("/work-pools/runs");
    await page.getByRole("heading", { level: 1, name: "runs" }).waitFor();
    const editor = page.getByLabel("Base job template");
    const original = await editor.inputValue();
    expect(original).toContain("{{ command }}");
    await editor.fill(original.replace("{{ command }}", "{{ comand }}"));
    const problems = page.getByLabel("Template problems");
    await expect.poll(() => problems.innerText()).toContain("{{ comand }} names no variable");
    await page.getByRole("button", { name: "Save template" }).click();
    await expect.poll(() => page.getByRole("alert").allInnerTexts().then((t) => t.join("\n"))).toContain("names no variable");
    const pool = await stack.api("GET", "/work_pools/runs");
    expect(JSON.stringify(pool.base_job_template)).toContain("{{ command }}");
    await screenshot(page, "ui-template-mistake");
  }, SLOW);

  it("creates a notification rule and an automation from their forms, tests, disables, pauses, resumes and deletes, each as the server sees it", async () => {
    await page.goto("/notifications");
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    await page.getByRole("button", { name: "New notification rule" }).click();
    const ruleForm = page.getByRole("form", { name: "New notification rule" });
    await ruleForm.getByLabel("Name", { exact: true }).fill("ui-hook");
    await ruleForm.getByLabel("Webhook URL").fill("127.0.0.1:9/hooks/secret-path");
    await ruleForm.getByText(/must be a URL/).waitFor();
    await ruleForm.getByLabel("Webhook URL").fill("http://127.0.0.1:9/hooks/secret-path");
    await ruleForm.getByLabel("Completed").check();
    await ruleForm.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("status").getByText('Rule "ui-hook" created.').waitFor();
    const rule = await stack.api("GET", "/notification_rules/ui-hook");
    expect(rule).toMatchObject({ enabled: true, states: ["FAILED", "CRASHED", "COMPLETED"], target: { type: "webhook" } });
    // The page shows the target as the server masks it: never the secret path.
    const rules = page.getByRole("table", { name: "Notification rules" });
    await rules.getByText(rule.target.url).waitFor();
    expect(await rules.innerText()).not.toContain("secret-path");

    await page.getByRole("button", { name: "Send a test to ui-hook" }).click();
    await page.getByRole("table", { name: "Deliveries" }).getByText("test message").waitFor();
    await page.getByRole("button", { name: "Disable ui-hook" }).click();
    await page.getByRole("button", { name: "Enable ui-hook" }).waitFor();
    expect((await stack.api("GET", "/notification_rules/ui-hook")).enabled).toBe(false);

    await page.getByRole("link", { name: "Automations", exact: true }).first().click();
    await page.getByRole("heading", { level: 1, name: "Automations" }).waitFor();
    for (const name of ["ui-on-failure", "ui-temporary"]) {
      await page.getByRole("button", { name: "New automation" }).click();
      const form = page.getByRole("form", { name: "New automation" });
      await form.getByLabel("Name", { exact: true }).fill(name);
      await form.getByLabel("Flows").fill("fail-flow");
      await form.getByLabel("Notification rule").fill("ui-hook");
      await form.getByRole("button", { name: "Create automation" }).click();
      await page.getByRole("status").getByText(`Automation "${name}" created.`).waitFor();
    }
    expect(await stack.api("GET", "/automations/ui-on-failure")).toMatchObject({ enabled: true, trigger: { type: "state", states: ["FAILED"], match: { flows: ["fail-flow"] } }, actions: [{ type: "notify", rule: "ui-hook" }] });
    const card = page.getByRole("region", { name: "ui-on-failure" });
    await card.getByText("When a run of flow fail-flow enters Failed:").waitFor();
    await card.getByRole("button", { name: "Pause ui-on-failure" }).click();
    await card.getByRole("button", { name: "Resume ui-on-failure" }).waitFor();
    expect((await stack.api("GET", "/automations/ui-on-failure")).enabled).toBe(false);
    await card.getByRole("button", { name: "Resume ui-on-failure" }).click();
    await card.getByRole("button", { name: "Pause ui-on-failure" }).waitFor();
    expect((await stack.api("GET", "/automations/ui-on-failure")).enabled).toBe(true);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete ui-temporary" }).click();
    await page.getByRole("status").getByText('Automation "ui-temporary" deleted.').waitFor();
    expect((await stack.api("GET", "/automations?limit=500")).items.map((a: { name: string }) => a.name)).not.toContain("ui-temporary");
    await screenshot(page, "ui-automations");
  }, SLOW);

  it("shows a viewer no write buttons", async () => {
    const { key } = await stack.api("POST", "/api_keys", { name: "ui-viewer", role: "viewer" });
    const context = await newContext(browser, stack.baseUrl);
    const viewer = await context.newPage();
    try {
      await logIn(viewer, key);
      const writeButtons = ["Run", "Start run", "Run again", "Cancel run", "Retry", "Pause", "Resume", "Save template", "Create API key", "Set secret", "Revoke", "Delete",
        "Pause all schedules", "Resume all schedules", "Add a schedule", "Pause pool", "Resume pool", "Delete pool", "Save limit", "New work pool", "Cancel selected", "Retry selected", "Delete selected", "Create variable",
        "New automation", "New notification rule", "Pause ui-on-failure", "Delete ui-on-failure", "Send a test to ui-hook", "Enable ui-hook", "Delete ui-hook"];
      const visibleWriteButtons = async () => {
        const found: string[] = [];
        for (const name of writeButtons) if ((await viewer.getByRole("button", { name, exact: true }).count()) > 0) found.push(name);
        return found;
      };
      const deployment = await stack.deployment("etl-flow/etl");
      await viewer.goto(`/deployments/${deployment.id}`);
      await viewer.getByRole("heading", { level: 1, name: "etl-flow/etl" }).waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      // A failed run and a waiting one of its own.
      const failed = await stack.api("POST", `/deployments/${(await stack.deployment("fail-flow/fail")).id}/runs`, {});
      const waiting = await stack.api("POST", `/deployments/${(await stack.deployment("etl-flow/idle")).id}/runs`, {});
      await stack.waitForRun(failed.id, (r) => r.state_type === "FAILED", "to fail");
      await viewer.goto(`/runs/${failed.id}`);
      await viewer.locator('h1 + .state-badge[data-state-type="FAILED"]').waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      await viewer.goto(`/runs/${waiting.id}`);
      await viewer.getByRole("status").filter({ hasText: "Why has this run not started?" }).waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      await viewer.goto("/work-pools/runs");
      await viewer.getByRole("heading", { level: 1, name: "runs" }).waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      for (const [path, heading] of [["/runs", "Flow runs"], ["/work-pools", "Work pools"], ["/variables", "Variables"]]) {
        await viewer.goto(path!);
        await viewer.getByRole("heading", { level: 1, name: heading }).waitFor();
        expect(await visibleWriteButtons(), path).toEqual([]);
      }
      // The automation and the rule the admin made from their forms (the test above), shown without their buttons.
      await viewer.goto("/automations");
      await viewer.getByRole("region", { name: "ui-on-failure" }).getByText("Notify through rule ui-hook", { exact: true }).waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      await viewer.goto("/notifications");
      await viewer.getByRole("table", { name: "Notification rules" }).getByText("ui-hook").waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      // The audit log is an admin's: not in a viewer's menu.
      expect(await viewer.getByRole("link", { name: "Audit log" }).count()).toBe(0);
      await viewer.goto("/settings");
      await viewer.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
      expect(await visibleWriteButtons()).toEqual([]);
      await screenshot(viewer, "ui-viewer-settings");
    } finally {
      await context.close();
    }
  }, SLOW);

  it("adds a schedule to a deployment, pauses it and deletes it, each as the server sees it", async () => {
    const deployment = await stack.deployment("etl-flow/idle");
    const scheduledRuns = async () => (await stack.api("GET", `/flow_runs?deployment_id=${deployment.id}&state=SCHEDULED&upcoming=only&limit=500`)).items as { id: string }[];
    await page.goto(`/deployments/${deployment.id}`);
    await page.getByRole("heading", { level: 1, name: "etl-flow/idle" }).waitFor();
    await page.getByRole("button", { name: "Add a schedule" }).click();
    const form = page.getByRole("form", { name: "Add a schedule" });
    await form.getByLabel("Interval").check();
    await form.getByLabel("Every").fill("6");
    await form.getByLabel("Unit").selectOption("hours");
    await form.getByLabel("Time zone").fill("Europe/Pari");
    await form.getByText("not an IANA time zone").waitFor();
    await form.getByLabel("Time zone").fill("Europe/Paris");
    await form.getByText(/^every 6 h \(Europe\/Paris\); next:/).waitFor();
    await form.getByRole("button", { name: "Add schedule" }).click();
    const words = "every 6 h (Europe/Paris)";
    await page.getByRole("button", { name: `Pause schedule ${words}` }).waitFor();
    const added = await stack.api("GET", `/deployments/${deployment.id}`);
    expect(added.schedules).toEqual([expect.objectContaining({ schedule: { interval: 21600, timezone: "Europe/Paris" }, active: true })]);
    await expect.poll(async () => (await scheduledRuns()).length).toBeGreaterThan(0);

    await page.getByRole("button", { name: `Pause schedule ${words}` }).click();
    await page.getByRole("button", { name: `Resume schedule ${words}` }).waitFor();
    expect((await stack.api("GET", `/deployments/${deployment.id}`)).schedules[0].active).toBe(false);
    expect(await scheduledRuns()).toEqual([]);

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: `Delete schedule ${words}` }).click();
    await page.getByText("No schedules: runs start from the Run form").waitFor();
    expect((await stack.api("GET", `/deployments/${deployment.id}`)).schedules).toEqual([]);
  }, SLOW);

  it("cancels the ticked runs of the list together, after a confirmation, and says which ones the server refused", async () => {
    const deployment = await stack.deployment("etl-flow/idle");
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const made = await Promise.all([0, 1].map((i) => stack.api("POST", `/deployments/${deployment.id}/runs`, { name: `bulk-${i}`, scheduled_time: later })));
    const done = await stack.api("POST", `/deployments/${deployment.id}/runs`, { name: "bulk-done" });
    await stack.api("POST", `/flow_runs/${done.id}/cancel`, {});
    await page.goto(`/runs?deployment=${deployment.id}&upcoming=include`);
    await page.getByRole("heading", { level: 1, name: "Flow runs" }).waitFor();
    for (const name of ["bulk-0", "bulk-1", "bulk-done"]) await page.getByLabel(`Select ${name}`).check();
    let question = "";
    page.once("dialog", (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Cancel selected" }).click();
    const outcome = page.getByRole("status").filter({ hasText: "cancelled" });
    await outcome.waitFor();
    expect(question).toContain("Cancel 3 runs?");
    expect(await outcome.innerText()).toContain("2 runs cancelled; 1 not:");
    expect(await outcome.innerText()).toContain("bulk-done");
    for (const run of made) expect((await stack.api("GET", `/flow_runs/${run.id}`)).state_type).toBe("CANCELLED");
  }, SLOW);

  it("printed no errors in the browser console", () => {
    // Chromium logs every 4xx answer: the login check's 401, the wrong key's, the bad template's
    // 422 are answers the pages show, not errors. A 5xx or an uncaught exception is one.
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
