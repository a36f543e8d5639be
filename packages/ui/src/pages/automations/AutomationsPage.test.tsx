// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { fakeEvents, runStateEvent } from "../../test/fake-events";
import { AutomationsPage } from "./AutomationsPage";

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stamp = "2026-12-01T00:00:00.000Z";
const match = { flows: ["etl"], deployments: [], tags: ["nightly"], work_pools: [] };
const automation = (name: string, enabled: boolean, extra: object = {}) => ({
  id: `id-${name}`,
  name,
  enabled,
  trigger: { type: "state", states: ["FAILED", "CRASHED"], match },
  actions: [{ type: "run_deployment", deployment: "etl/cleanup", parameters: { failed_run: "{{ flow_run.id }}" } }, { type: "notify", rule: "ops-slack" }],
  deployment_id: null,
  created: stamp,
  updated: stamp,
  ...extra,
});
const firing = { id: "f1", automation_id: "id-retry-failed", automation_name: "retry-failed", flow_run_id: "0190a0a0-1111-7000-8000-000000000000", event: "FAILED", status: "failed", attempts: 3, last_error: "deployment etl/cleanup does not exist", created: stamp, done_at: null };
const VIEWER = { ...ADMIN_SESSION, name: "viewer", role: "viewer" as const, permissions: ["read"] };

describe("the automations page", () => {
  test("says each trigger and action in words, shows what a firing did, pauses, resumes and deletes after a confirmation", async () => {
    let stored = [automation("retry-failed", true), automation("long-runs", false, { trigger: { type: "running_longer_than", seconds: 7200, match: { flows: [], deployments: [], tags: [], work_pools: [] } }, actions: [{ type: "cancel_run" }] })];
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /automations": () => ({ body: { items: stored, next_cursor: null } }),
      "GET /automation_firings": () => ({ body: { items: [firing], next_cursor: null } }),
      "POST /automations/retry-failed/pause": () => {
        stored = stored.map((a) => (a.name === "retry-failed" ? { ...a, enabled: false } : a));
        return { body: stored[0] };
      },
      "POST /automations/long-runs/resume": () => ({ body: { ...stored[1], enabled: true } }),
      "DELETE /automations/long-runs": { status: 204, body: null },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    const user = userEvent.setup();
    render(<SessionProvider>{() => <AutomationsPage />}</SessionProvider>);

    const retry = await screen.findByRole("region", { name: "retry-failed" });
    expect(within(retry).getByText("When a run of flow etl, tagged nightly enters Failed or Crashed:")).toBeTruthy();
    expect(within(retry).getByText("Run deployment etl/cleanup with failed_run set")).toBeTruthy();
    expect(within(retry).getByText("Notify through rule ops-slack")).toBeTruthy();
    expect(within(retry).getByText("Enabled")).toBeTruthy();
    const long = screen.getByRole("region", { name: "long-runs" });
    expect(within(long).getByText("When any run is still Running 2 hours after it started:")).toBeTruthy();
    expect(within(long).getByText("Paused")).toBeTruthy();

    const firings = await within(retry).findByRole("table", { name: "Recent firings of retry-failed" });
    expect(within(firings).getByText("run entered Failed")).toBeTruthy();
    expect(within(firings).getByText("Gave up after 3 attempts: Run deployment etl/cleanup with failed_run set; Notify through rule ops-slack")).toBeTruthy();
    expect(within(firings).getByText("deployment etl/cleanup does not exist")).toBeTruthy();
    expect(api.sent.some((r) => r.method === "GET" && r.path === "/automation_firings")).toBe(true);

    await user.click(within(retry).getByRole("button", { name: "Pause retry-failed" }));
    await screen.findByText('Automation "retry-failed" paused: it will not fire until resumed.');
    await within(screen.getByRole("region", { name: "retry-failed" })).findByRole("button", { name: "Resume retry-failed" });

    await user.click(within(long).getByRole("button", { name: "Resume long-runs" }));
    await screen.findByText('Automation "long-runs" resumed.');

    await user.click(within(long).getByRole("button", { name: "Delete long-runs" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete automation "long-runs"?'));
    await screen.findByText('Automation "long-runs" deleted.');
    expect(api.sent.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual(["POST /automations/retry-failed/pause", "POST /automations/long-runs/resume", "DELETE /automations/long-runs"]);
  });

  test("a viewer sees the automations and their firings but no button that writes", async () => {
    const api = fakeApi({
      "GET /auth/session": { body: VIEWER },
      "GET /automations": { body: { items: [automation("retry-failed", true)], next_cursor: null } },
      "GET /automation_firings": { body: { items: [], next_cursor: null } },
    });
    render(<SessionProvider>{() => <AutomationsPage />}</SessionProvider>);
    const retry = await screen.findByRole("region", { name: "retry-failed" });
    await within(retry).findByText("It has not fired yet.");
    expect(within(retry).queryByRole("button")).toBeNull();
    expect(api.sent.every((r) => r.method === "GET")).toBe(true);
  });

  test("follows live: a run's state change brings the firing it caused", async () => {
    let firings: (typeof firing)[] = [];
    fakeApi({
      "GET /auth/session": { body: VIEWER },
      "GET /automations": { body: { items: [automation("retry-failed", true)], next_cursor: null } },
      "GET /automation_firings": () => ({ body: { items: firings, next_cursor: null } }),
    });
    const events = fakeEvents();
    render(<SessionProvider>{() => <AutomationsPage />}</SessionProvider>);
    const retry = await screen.findByRole("region", { name: "retry-failed" });
    await within(retry).findByText("It has not fired yet.");
    firings = [firing];
    events.emit("flow_run", runStateEvent("etl", "FAILED"));
    await within(retry).findByRole("table", { name: "Recent firings of retry-failed" }, { timeout: 4000 });
  });
});
