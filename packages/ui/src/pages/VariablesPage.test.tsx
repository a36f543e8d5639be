// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../session/session";
import { ADMIN_SESSION, fakeApi } from "../test/fake-api";
import { fakeEvents, runStateEvent } from "../test/fake-events";
import { VariablesPage } from "./VariablesPage";

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stamp = "2026-12-01T00:00:00.000Z";
const variable = (name: string, value: unknown) => ({ name, value, created: stamp, updated: stamp });

describe("the variables page", () => {
  test("creates a text variable, checks a JSON one as typed, edits an existing one in place, deletes after a confirmation", async () => {
    const stored = [variable("region", "eu-west-1"), variable("batch", { size: 500 })];
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /variables": () => ({ body: { items: stored, next_cursor: null } }),
      "PUT /variables/owner": (r) => ({ body: variable("owner", (r.body as { value: unknown }).value) }),
      "PUT /variables/batch": (r) => ({ body: variable("batch", (r.body as { value: unknown }).value) }),
      "DELETE /variables/region": { status: 204, body: null },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    const user = userEvent.setup();
    render(<SessionProvider>{() => <VariablesPage />}</SessionProvider>);
    const table = await screen.findByRole("table", { name: "Variables" });
    expect(within(table).getByText('{"size":500}')).toBeTruthy();

    await user.type(screen.getByLabelText("Name"), "owner");
    await user.type(screen.getByLabelText("Value"), "data team");
    await user.click(screen.getByRole("button", { name: "Create variable" }));
    await screen.findByText('Variable "owner" saved.');
    expect(api.sent.find((r) => r.method === "PUT")?.body).toEqual({ value: "data team" });

    await user.click(screen.getByRole("button", { name: "Edit batch" }));
    expect((screen.getByLabelText("Name") as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByLabelText("Value type") as HTMLSelectElement).value).toBe("json");
    const value = screen.getByLabelText("Value");
    await user.clear(value);
    await user.type(value, "{{\"size\": 1000");
    expect(screen.getByText(/Not valid JSON/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save variable" }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(value, "}");
    await user.click(screen.getByRole("button", { name: "Save variable" }));
    await screen.findByText('Variable "batch" saved.');
    expect(api.sent.filter((r) => r.method === "PUT").at(-1)).toMatchObject({ path: "/variables/batch", body: { value: { size: 1000 } } });

    await user.click(screen.getByRole("button", { name: "Delete region" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete variable "region"'));
    await screen.findByText('Variable "region" deleted.');
  });

  test("follows live: a run's state change refetches the list (a flow sets variables)", async () => {
    const stored = [variable("region", "eu-west-1")];
    fakeApi({ "GET /auth/session": { body: ADMIN_SESSION }, "GET /variables": () => ({ body: { items: [...stored], next_cursor: null } }) });
    const events = fakeEvents();
    render(<SessionProvider>{() => <VariablesPage />}</SessionProvider>);
    const table = await screen.findByRole("table", { name: "Variables" });
    stored.push(variable("last_load", "2026-12-01"));
    events.emit("flow_run", runStateEvent("etl"));
    await within(table).findByText("last_load", {}, { timeout: 4000 });
    expect(events.urls[0]).toContain("types=flow_run");
  });
});
