// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { fakeEvents, runStateEvent } from "../../test/fake-events";
import { NotificationsPage } from "./NotificationsPage";

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

const stamp = "2026-12-01T00:00:00.000Z";
const rule = (name: string, enabled: boolean, target: object) => ({
  id: `id-${name}`,
  name,
  enabled,
  states: ["FAILED", "LATE"],
  match: { flows: [], deployments: ["etl/nightly"], tags: [], work_pools: [] },
  target,
  title: null,
  body: null,
  created: stamp,
  updated: stamp,
});
const delivery = (id: string, status: string, extra: object = {}) => ({
  id,
  rule_id: "id-ops-hook",
  rule_name: "ops-hook",
  target_type: "webhook",
  flow_run_id: "0190a0a0-2222-7000-8000-000000000000",
  event: "FAILED",
  status,
  attempts: 2,
  next_attempt_at: "2026-12-01T00:05:00.000Z",
  last_error: "HTTP 503 from hooks.example.com",
  delivered_at: null,
  created: stamp,
  ...extra,
});
const VIEWER = { ...ADMIN_SESSION, name: "viewer", role: "viewer" as const, permissions: ["read"] };

describe("the notifications page", () => {
  test("shows rules with masked targets, enables, disables, sends a test and deletes after a confirmation; deliveries show state, attempts, error, next attempt, a page at a time", async () => {
    let rules = [rule("ops-hook", true, { type: "webhook", url: "https://hooks.example.com/...", has_hmac_secret: true }), rule("team-mail", false, { type: "email", host: "smtp.example.com", port: 587, from: "baton@example.com", to: ["ops@example.com"], has_password: true })];
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /notification_rules": () => ({ body: { items: rules, next_cursor: null } }),
      "GET /notification_deliveries": () => ({ body: window.location.search.includes("cursor=c2") ? { items: [delivery("d3", "delivered", { attempts: 1, last_error: null, next_attempt_at: null, delivered_at: stamp })], next_cursor: null } : { items: [delivery("d1", "pending"), delivery("d2", "failed", { attempts: 8, next_attempt_at: null })], next_cursor: "c2" } }),
      "PATCH /notification_rules/ops-hook": (r) => {
        rules = rules.map((x) => (x.name === "ops-hook" ? { ...x, enabled: (r.body as { enabled: boolean }).enabled } : x));
        return { body: rules[0] };
      },
      "POST /notification_rules/ops-hook/test": { status: 201, body: delivery("d9", "pending", { event: "TEST", flow_run_id: null, attempts: 0 }) },
      "DELETE /notification_rules/team-mail": { status: 204, body: null },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    const user = userEvent.setup();
    render(<SessionProvider>{() => <NotificationsPage />}</SessionProvider>);

    const table = await screen.findByRole("table", { name: "Notification rules" });
    const hook = within(table).getByText("ops-hook").closest("tr")!;
    expect(within(hook).getByText("When a run of deployment etl/nightly enters Failed or Late")).toBeTruthy();
    expect(within(hook).getByText("Webhook")).toBeTruthy();
    expect(within(hook).getByText("https://hooks.example.com/... (signed)")).toBeTruthy();
    expect(within(hook).getByText("Enabled")).toBeTruthy();
    const mail = within(table).getByText("team-mail").closest("tr")!;
    expect(within(mail).getByText("to ops@example.com via smtp.example.com:587")).toBeTruthy();
    expect(within(mail).getByText("Disabled")).toBeTruthy();

    const deliveries = await screen.findByRole("table", { name: "Deliveries" });
    const pending = within(deliveries).getAllByRole("row")[1]!;
    expect(within(pending).getByText("Pending")).toBeTruthy();
    expect(within(pending).getByText("HTTP 503 from hooks.example.com")).toBeTruthy();
    expect(within(pending).getByText("2")).toBeTruthy();
    expect(within(within(deliveries).getAllByRole("row")[2]!).getByText("none: gave up")).toBeTruthy();

    await user.click(within(hook).getByRole("button", { name: "Disable ops-hook" }));
    await screen.findByText('Rule "ops-hook" disabled: it sends nothing until enabled.');
    expect(api.sent.find((r) => r.method === "PATCH")?.body).toEqual({ enabled: false });
    await screen.findByRole("button", { name: "Enable ops-hook" });

    await user.click(screen.getByRole("button", { name: "Send a test to ops-hook" }));
    await screen.findByText('A test message to rule "ops-hook" is queued: see its delivery below.');

    await user.click(screen.getByRole("button", { name: "Delete team-mail" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete notification rule "team-mail"?'));
    await screen.findByText('Rule "team-mail" deleted.');

    await user.click(screen.getByRole("button", { name: "Next page" }));
    await within(await screen.findByRole("table", { name: "Deliveries" })).findByText("Delivered");
    expect(api.fetch.mock.calls.map(([url]) => String(url))).toContain("/api/notification_deliveries?limit=50&cursor=c2");
    expect(window.location.search).toBe("?cursor=c2");
  });

  test("a viewer sees rules and deliveries but no button that writes", async () => {
    const api = fakeApi({
      "GET /auth/session": { body: VIEWER },
      "GET /notification_rules": { body: { items: [rule("ops-hook", true, { type: "slack", url: "https://hooks.slack.com/..." })], next_cursor: null } },
      "GET /notification_deliveries": { body: { items: [], next_cursor: null } },
    });
    render(<SessionProvider>{() => <NotificationsPage />}</SessionProvider>);
    const table = await screen.findByRole("table", { name: "Notification rules" });
    expect(within(table).getByText("Slack")).toBeTruthy();
    await screen.findByText("Nothing sent yet.");
    expect(within(table).queryByRole("button")).toBeNull();
    // Refresh reads the log again (pending deliveries move on their own).
    const reads = () => api.sent.filter((r) => r.path === "/notification_deliveries").length;
    const before = reads();
    await userEvent.setup().click(screen.getByRole("button", { name: "Refresh" }));
    await vi.waitFor(() => expect(reads()).toBe(before + 1));
    expect(api.sent.every((r) => r.method === "GET")).toBe(true);
  });

  test("follows live: a run's state change brings the delivery it caused, the log kept on screen meanwhile", async () => {
    let deliveries: ReturnType<typeof delivery>[] = [];
    fakeApi({
      "GET /auth/session": { body: VIEWER },
      "GET /notification_rules": { body: { items: [rule("ops-hook", true, { type: "slack", url: "https://hooks.slack.com/..." })], next_cursor: null } },
      "GET /notification_deliveries": () => ({ body: { items: deliveries, next_cursor: null } }),
    });
    const events = fakeEvents();
    render(<SessionProvider>{() => <NotificationsPage />}</SessionProvider>);
    await screen.findByText("Nothing sent yet.");
    deliveries = [delivery("d1", "pending")];
    events.emit("flow_run", runStateEvent("etl", "FAILED"));
    const table = await screen.findByRole("table", { name: "Deliveries" }, { timeout: 4000 });
    expect(within(table).getByText("ops-hook")).toBeTruthy();
  });
});
