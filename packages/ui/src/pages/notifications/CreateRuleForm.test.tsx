// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { NotificationsPage } from "./NotificationsPage";

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stamp = "2026-12-01T00:00:00.000Z";

describe("creating a notification rule from the UI", () => {
  test("checks the fields as typed with core's schema and sends the rule the server expects", async () => {
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /notification_rules": { body: { items: [], next_cursor: null } },
      "GET /notification_deliveries": { body: { items: [], next_cursor: null } },
      "POST /notification_rules": (r) => ({
        status: 201,
        body: { id: "r1", enabled: true, title: null, body: null, created: stamp, updated: stamp, ...(r.body as object), target: { type: "slack", url: "https://hooks.slack.com/..." } },
      }),
    });
    const user = userEvent.setup();
    render(<SessionProvider>{() => <NotificationsPage />}</SessionProvider>);
    await user.click(await screen.findByRole("button", { name: "New notification rule" }));
    const form = screen.getByRole("form", { name: "New notification rule" });
    expect(form.querySelector(".field-error")).toBeNull();

    await user.type(screen.getByLabelText("Name"), "ops slack");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    await user.clear(screen.getByLabelText("Name"));
    await user.type(screen.getByLabelText("Name"), "ops-slack");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBeNull();

    await user.selectOptions(screen.getByLabelText("Send to"), "slack");
    expect(screen.queryByLabelText("Signing secret (optional)")).toBeNull();
    await user.type(screen.getByLabelText("Webhook URL"), "hooks.slack.com/x");
    expect(screen.getByText(/must be a URL/)).toBeTruthy();
    await user.clear(screen.getByLabelText("Webhook URL"));
    await user.type(screen.getByLabelText("Webhook URL"), "https://hooks.slack.com/services/T/B/X");
    await user.click(screen.getByLabelText("Crashed"));
    await user.click(screen.getByLabelText("Failed"));
    expect(screen.getByText(/give at least one of FAILED/)).toBeTruthy();
    await user.click(screen.getByLabelText("Late"));
    await user.type(screen.getByLabelText("Deployments"), "etl/nightly, etl/hourly");

    await user.click(screen.getByRole("button", { name: "Create rule" }));
    await screen.findByText('Rule "ops-slack" created.');
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({
      name: "ops-slack",
      states: ["LATE"],
      match: { flows: [], deployments: ["etl/nightly", "etl/hourly"], tags: [], work_pools: [] },
      target: { type: "slack", url: "https://hooks.slack.com/services/T/B/X" },
    });
  });
});
