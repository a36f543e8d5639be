// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { AutomationsPage } from "./AutomationsPage";

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stamp = "2026-12-01T00:00:00.000Z";

describe("creating an automation from the UI", () => {
  test("checks the trigger and each action as typed with core's schema and sends what the server expects", async () => {
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /automations": { body: { items: [], next_cursor: null } },
      "POST /automations": (r) => ({ status: 201, body: { id: "a1", enabled: true, deployment_id: null, created: stamp, updated: stamp, ...(r.body as object) } }),
    });
    const user = userEvent.setup();
    render(<SessionProvider>{() => <AutomationsPage />}</SessionProvider>);
    await user.click(await screen.findByRole("button", { name: "New automation" }));
    await user.type(screen.getByLabelText("Name"), "stuck-runs");
    await user.selectOptions(screen.getByLabelText("Trigger"), "running_longer_than");
    const minutes = screen.getByLabelText("Running for (minutes)");
    await user.clear(minutes);
    expect(screen.getByLabelText("Running for (minutes)").getAttribute("aria-invalid")).toBe("true");
    await user.type(minutes, "90");
    expect(minutes.getAttribute("aria-invalid")).toBeNull();
    await user.type(screen.getByLabelText("Tags (any of)"), "nightly");

    await user.type(screen.getByLabelText("Notification rule"), "ops slack");
    expect(screen.getByLabelText("Notification rule").getAttribute("aria-invalid")).toBe("true");
    await user.clear(screen.getByLabelText("Notification rule"));
    await user.type(screen.getByLabelText("Notification rule"), "ops-slack");
    await user.click(screen.getByRole("button", { name: "Add an action" }));
    await user.selectOptions(screen.getByLabelText("Action 2"), "cancel_run");

    await user.click(screen.getByRole("button", { name: "Create automation" }));
    await screen.findByText('Automation "stuck-runs" created.');
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({
      name: "stuck-runs",
      trigger: { type: "running_longer_than", seconds: 5400, match: { flows: [], deployments: [], tags: ["nightly"], work_pools: [] } },
      actions: [{ type: "notify", rule: "ops-slack" }, { type: "cancel_run" }],
    });
  });

  test("a run not in a state in time: the states entered and expected, each list required", async () => {
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /automations": { body: { items: [], next_cursor: null } },
      "POST /automations": (r) => ({ status: 201, body: { id: "a2", enabled: true, deployment_id: null, created: stamp, updated: stamp, ...(r.body as object) } }),
    });
    const user = userEvent.setup();
    render(<SessionProvider>{() => <AutomationsPage />}</SessionProvider>);
    await user.click(await screen.findByRole("button", { name: "New automation" }));
    await user.type(screen.getByLabelText("Name"), "unclaimed");
    await user.selectOptions(screen.getByLabelText("Trigger"), "not_in_state_within");
    const entered = within(screen.getByRole("group", { name: "After a run enters" }));
    const expected = within(screen.getByRole("group", { name: "It should enter" }));
    // The default is Pending -> Running; make it Scheduled -> Pending or Running.
    await user.click(entered.getByLabelText("Pending"));
    expect(entered.getByText(/give at least one state in after/)).toBeTruthy();
    await user.click(entered.getByLabelText("Scheduled"));
    await user.click(expected.getByLabelText("Pending"));
    const minutes = screen.getByLabelText("Within (minutes)");
    await user.clear(minutes);
    await user.type(minutes, "10");
    await user.type(screen.getByLabelText("Notification rule"), "ops-slack");

    await user.click(screen.getByRole("button", { name: "Create automation" }));
    await screen.findByText('Automation "unclaimed" created.');
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({
      name: "unclaimed",
      trigger: { type: "not_in_state_within", after: ["SCHEDULED"], expect: ["RUNNING", "PENDING"], seconds: 600, match: { flows: [], deployments: [], tags: [], work_pools: [] } },
      actions: [{ type: "notify", rule: "ops-slack" }],
    });
  });

  test("a draft with a problem is not sent", async () => {
    const api = fakeApi({ "GET /auth/session": { body: ADMIN_SESSION }, "GET /automations": { body: { items: [], next_cursor: null } } });
    const user = userEvent.setup();
    render(<SessionProvider>{() => <AutomationsPage />}</SessionProvider>);
    await user.click(await screen.findByRole("button", { name: "New automation" }));
    await user.click(screen.getByRole("button", { name: "Create automation" }));
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(api.sent.filter((r) => r.method === "POST")).toEqual([]);
  });
});
