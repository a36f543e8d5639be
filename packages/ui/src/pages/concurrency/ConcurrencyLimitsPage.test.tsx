// @vitest-environment happy-dom
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { fakeApi } from "../../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../../test/page-test";
import { ConcurrencyLimitsPage } from "./ConcurrencyLimitsPage";

pageTestAt("/concurrency-limits");

const stamp = "2026-12-01T00:00:00.000Z";
const limit = (name: string, limit: number, active_slots = 0, slot_decay_per_second = 0) => ({ id: `id-${name}`, name, limit, active: true, slot_decay_per_second, active_slots, created: stamp, updated: stamp });
const page = () => renderInSession(<ConcurrencyLimitsPage />);

describe("the concurrency limits page", () => {
  test("lists limits with their slots in use (tag limits as such), checks the form by the server's rules, creates, inspects, edits and deletes", async () => {
    const stored = [limit("warehouse", 2, 1), limit("crm-api", 10, 4, 0.5), limit("tag:etl", 3)];
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /concurrency_limits": () => ({ body: { items: stored, next_cursor: null } }),
      "GET /concurrency_limits/warehouse": () => ({ body: stored[0] }),
      "POST /concurrency_limits": (r) => {
        const body = r.body as { name: string; limit: number };
        stored.push(limit(body.name, body.limit));
        return { status: 201, body: stored.at(-1) };
      },
      "PATCH /concurrency_limits/warehouse": (r) => {
        stored[0] = { ...stored[0]!, ...(r.body as object), updated: "2026-12-01T00:01:00.000Z" };
        return { body: stored[0] };
      },
      "DELETE /concurrency_limits/crm-api": { status: 204, body: null },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    const user = userEvent.setup();
    page();
    const table = await screen.findByRole("table", { name: "Concurrency limits" });
    const row = (name: string) => within(table).getByRole("button", { name: `Inspect ${name}` }).closest("tr") as HTMLElement;
    expect(row("tag:etl").textContent).toContain("Task runs tagged etl");
    expect(row("crm-api").textContent).toMatch(/Rate limit.*4 of 10.*0.5\/s/);
    expect(row("warehouse").textContent).toMatch(/Concurrency.*1 of 2/);
    // One menu item with the work pools: the tabs lead from one to the other.
    expect(within(screen.getByRole("navigation", { name: "Work pools and concurrency limits" })).getByRole("link", { name: "Work pools" }).getAttribute("href")).toBe("/work-pools");

    // The server's rules, named by field, before anything is sent.
    await user.click(screen.getByRole("button", { name: "New concurrency limit" }));
    const form = screen.getByRole("form", { name: "New concurrency limit" });
    await user.type(within(form).getByLabelText("Name"), "bad name");
    await user.type(within(form).getByLabelText("Limit (slots)"), "2.5");
    await user.type(within(form).getByLabelText(/Slot decay/), "-1");
    expect(within(form).getByText(/^Name: use letters, digits/)).toBeTruthy();
    expect(within(form).getByText(/^Limit: a whole number/)).toBeTruthy();
    expect(within(form).getByText(/^Slot decay: slots per second/)).toBeTruthy();
    await user.click(within(form).getByRole("button", { name: "Create limit" }));
    expect(api.sent.some((r) => r.method === "POST")).toBe(false);

    // A tag limit: the tag alone is typed, the name is tag:TAG, no decay.
    await user.selectOptions(within(form).getByLabelText("Limits"), "tag");
    await user.clear(within(form).getByLabelText("Tag"));
    await user.type(within(form).getByLabelText("Tag"), "gpu");
    await user.clear(within(form).getByLabelText("Limit (slots)"));
    await user.type(within(form).getByLabelText("Limit (slots)"), "4");
    expect(within(form).queryByLabelText(/Slot decay/)).toBeNull();
    await user.click(within(form).getByRole("button", { name: "Create limit" }));
    await screen.findByText('Limit "tag:gpu" created.');
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ name: "tag:gpu", limit: 4, slot_decay_per_second: 0 });

    // Inspect: the limit's own read, its slots in use; then edit it there.
    await user.click(within(table).getByRole("button", { name: "Edit warehouse" }));
    const details = await screen.findByRole("region", { name: "Limit details" });
    await within(details).findByText("1 of 2");
    expect(window.location.search).toBe("?limit=warehouse");
    const edit = within(details).getByRole("form", { name: "Edit warehouse" });
    await user.clear(within(edit).getByLabelText("Limit (slots)"));
    expect(within(edit).getByText(/^Limit: a whole number/)).toBeTruthy();
    await user.type(within(edit).getByLabelText("Limit (slots)"), "5");
    await user.type(within(edit).getByLabelText("Slot decay per second"), "2");
    await user.click(within(edit).getByRole("button", { name: "Save limit" }));
    await screen.findByText('Limit "warehouse" saved.');
    expect(api.sent.find((r) => r.method === "PATCH")?.body).toEqual({ limit: 5, active: true, slot_decay_per_second: 2 });
    await within(details).findByText("1 of 5");

    await user.click(within(table).getByRole("button", { name: "Delete crm-api" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete limit "crm-api"'));
    await screen.findByText('Limit "crm-api" deleted.');
    expect(api.sent.some((r) => r.method === "DELETE" && r.path === "/concurrency_limits/crm-api")).toBe(true);
  });

  test("a viewer inspects limits but gets no create, edit or delete", async () => {
    fakeApi({
      ...sessionFor("viewer"),
      "GET /concurrency_limits": { body: { items: [limit("warehouse", 2, 2)], next_cursor: null } },
      "GET /concurrency_limits/warehouse": { body: limit("warehouse", 2, 2) },
    });
    const user = userEvent.setup();
    page();
    const table = await screen.findByRole("table", { name: "Concurrency limits" });
    expect(screen.queryByRole("button", { name: "New concurrency limit" })).toBeNull();
    expect(within(table).queryByRole("button", { name: /^(Edit|Delete) / })).toBeNull();
    await user.click(within(table).getByRole("button", { name: "Inspect warehouse" }));
    const details = await screen.findByRole("region", { name: "Limit details" });
    await within(details).findByText("2 of 2");
    expect(within(details).queryByRole("form")).toBeNull();
  });
});
