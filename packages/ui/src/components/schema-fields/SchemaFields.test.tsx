// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Deployment, FlowRun } from "../../api/types";
import { setDisplayTimeZone } from "../../lib/time";
import { fakeApi } from "../../test/fake-api";
import { undoAfterEach } from "../../test/page-test";
import { RunForm } from "../RunForm";

// "Local" must differ from UTC for the date-time tests to mean anything: New York is UTC-5 in December.
const savedTz = process.env.TZ;
beforeAll(() => (process.env.TZ = "America/New_York"));
afterAll(() => (process.env.TZ = savedTz));
undoAfterEach();

const ID = "5b0d3c4e-1f2a-4b6c-8d9e-0a1b2c3d4e5f";
const schema = {
  type: "object",
  properties: {
    tags: { type: "array", items: { type: "string" } },
    tables: { type: "array", items: { type: "object", properties: { name: { type: "string" }, rows: { type: "integer" } }, required: ["name"] } },
    target: { type: "object", properties: { db: { type: "string" }, port: { type: "integer", default: 5432 } } },
    env: { type: "object", additionalProperties: { type: "string" } },
    since: { type: "string", format: "date-time" },
    day: { type: "string", format: "date" },
  },
};
const deployment = (parameters: Record<string, unknown> = {}) => ({ id: ID, name: "nightly", flow_name: "etl", parameter_schema: schema, parameters }) as unknown as Deployment;

function renderForm(parameters?: Record<string, unknown>) {
  const onCreated = vi.fn();
  const api = fakeApi({ [`POST /deployments/${ID}/runs`]: { status: 201, body: { id: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", name: "brave-otter" } as FlowRun } });
  render(<RunForm deployment={deployment(parameters)} submitLabel="Run" onCreated={onCreated} />);
  const sent = async () => {
    await userEvent.click(screen.getByRole("button", { name: "Run" }));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalled());
    return (api.sent.find((r) => r.method === "POST")?.body as { parameters: Record<string, unknown> }).parameters;
  };
  return { api, sent, user: userEvent.setup() };
}

describe("the run form's editors", () => {
  test("a list of strings: add, type, move up, remove; each button names the field and the index", async () => {
    const { sent, user } = renderForm();
    const list = screen.getByRole("group", { name: "tags" });
    expect(within(list).getByText("No items.")).toBeTruthy();
    for (const [i, text] of ["a", "b", "c"].entries()) {
      await user.click(within(list).getByRole("button", { name: `Add item tags[${i}]` }));
      await user.type(within(list).getByLabelText(`tags[${i}]`), text);
    }
    const up = within(list).getByRole("button", { name: "Move tags[2] up" });
    await user.click(up);
    // The row moved with its button: the focus is still on it, at its new place.
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move tags[1] up");
    expect(within(list).getByRole("button", { name: "Move tags[0] up" }).getAttribute("aria-disabled")).toBe("true");
    await user.click(within(list).getByRole("button", { name: "Remove tags[0]" }));
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Add item tags[2]");
    expect(within(list).getAllByRole("textbox").map((i) => (i as HTMLInputElement).value)).toEqual(["c", "b"]);
    // Keyboard: Enter on a focused "Move down" moves the row.
    within(list).getByRole("button", { name: "Move tags[0] down" }).focus();
    await user.keyboard("{Enter}");
    expect(await sent()).toEqual({ tags: ["b", "c"], target: { port: 5432 } });
  });

  test("a list of objects: each item a fieldset of its fields; a problem names its path, and nothing is sent", async () => {
    const { api, sent, user } = renderForm({ tables: [{ name: "orders", rows: 10 }] });
    const list = screen.getByRole("group", { name: "tables" });
    const first = within(list).getByRole("group", { name: "tables[0]" });
    expect(within(first).getByLabelText("name")).toHaveProperty("value", "orders");
    await user.click(within(list).getByRole("button", { name: "Add item tables[1]" }));
    const second = within(list).getByRole("group", { name: "tables[1]" });
    await user.type(within(second).getByLabelText("rows"), "2.5");
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(screen.getByText("2 fields need a fix before the run can start: tables[1].name, tables[1].rows.")).toBeTruthy();
    expect(within(second).getByText("tables[1].name: required: enter a value")).toBeTruthy();
    expect(within(second).getByText("tables[1].rows: must be a whole number, not 2.5")).toBeTruthy();
    expect(within(second).getByLabelText("rows").getAttribute("aria-invalid")).toBe("true");
    expect(api.sent).toEqual([]);
    await user.type(within(second).getByLabelText("name"), "events");
    await user.clear(within(second).getByLabelText("rows"));
    await user.type(within(second).getByLabelText("rows"), "3");
    expect(await sent()).toEqual({ tables: [{ name: "orders", rows: 10 }, { name: "events", rows: 3 }], target: { port: 5432 } });
  });

  test("an object's declared fields are a nested fieldset; a free-form object is key/value rows", async () => {
    const { sent, user } = renderForm({ env: { REGION: "eu" } });
    const target = screen.getByRole("group", { name: "target" });
    await user.type(within(target).getByLabelText("db"), "warehouse");
    expect(within(target).getByLabelText("port")).toHaveProperty("value", "5432");
    const env = screen.getByRole("group", { name: "env" });
    expect(within(env).getByLabelText("env key 1")).toHaveProperty("value", "REGION");
    await user.click(within(env).getByRole("button", { name: "Add entry 2 to env" }));
    await user.type(within(env).getByLabelText("env key 2"), "LOG_LEVEL");
    await user.type(within(env).getByLabelText("env value 2"), "DEBUG");
    expect(await sent()).toEqual({ target: { db: "warehouse", port: 5432 }, env: { REGION: "eu", LOG_LEVEL: "DEBUG" } });
  });

  test("a key typed twice is named by its path", async () => {
    const { user } = renderForm({ env: { A: "1" } });
    const env = screen.getByRole("group", { name: "env" });
    await user.click(within(env).getByRole("button", { name: "Add entry 2 to env" }));
    await user.type(within(env).getByLabelText("env key 2"), "A");
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(within(env).getByText('env[1]: "A" is given twice: keep one row')).toBeTruthy();
  });

  test("a date and time is typed in local time (the display zone) and sent as ISO 8601 UTC; a date as a date", async () => {
    const { sent } = renderForm();
    const since = screen.getByLabelText("since");
    expect(since.getAttribute("type")).toBe("datetime-local");
    expect(screen.getByText("date and time, your local time")).toBeTruthy();
    fireEvent.change(since, { target: { value: "2026-12-24T09:30" } });
    expect(screen.getByText(/^Sent as 2026-12-24T14:30:00.000Z/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("day"), { target: { value: "2026-12-24" } });
    expect(await sent()).toEqual({ since: "2026-12-24T14:30:00.000Z", day: "2026-12-24", target: { port: 5432 } });
  });

  test("with UTC as the display zone, the same wall time is UTC, and a given instant shows in UTC", async () => {
    setDisplayTimeZone("UTC");
    const { sent } = renderForm({ since: "2026-12-01T08:00:05.000Z" });
    const since = screen.getByLabelText("since");
    expect(since).toHaveProperty("value", "2026-12-01T08:00:05");
    expect(screen.getByText("date and time, UTC")).toBeTruthy();
    fireEvent.change(since, { target: { value: "2026-12-24T09:30" } });
    expect(await sent()).toEqual({ since: "2026-12-24T09:30:00.000Z", target: { port: 5432 } });
  });

  test("the JSON switch: a field to JSON and back keeps its value; JSON that does not fit stays JSON with a reason", async () => {
    const { sent, user } = renderForm({ tables: [{ name: "orders", rows: 10 }] });
    const list = screen.getByRole("group", { name: "tables" });
    const toggle = within(list).getByRole("button", { name: "Edit tables as JSON" });
    await user.click(toggle);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    const box = within(list).getByLabelText("tables (JSON)");
    expect(JSON.parse((box as HTMLTextAreaElement).value)).toEqual([{ name: "orders", rows: 10 }]);
    await user.clear(box);
    await user.paste('{"name": "x"}');
    await user.click(toggle);
    expect(within(list).getByText('tables: must be a JSON list: ["a", "b"]: fix it to leave JSON')).toBeTruthy();
    await user.clear(box);
    await user.paste('[{"name": "a"}, {"name": "b", "rows": 2}]');
    await user.click(toggle);
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(within(within(list).getByRole("group", { name: "tables[1]" })).getByLabelText("rows")).toHaveProperty("value", "2");

    // The whole form as JSON, for what the editors cannot say, and back.
    await user.click(screen.getByRole("button", { name: "Edit all parameters as JSON" }));
    const all = screen.getByLabelText("Parameters (JSON)");
    expect(JSON.parse((all as HTMLTextAreaElement).value)).toEqual({ tables: [{ name: "a" }, { name: "b", rows: 2 }], target: { port: 5432 } });
    await user.clear(all);
    await user.paste('{"tags": ["x"], "target": {"port": 1}}');
    await user.click(screen.getByRole("button", { name: "Edit all parameters as JSON" }));
    expect(screen.getByLabelText("tags[0]")).toHaveProperty("value", "x");
    expect(await sent()).toEqual({ tags: ["x"], target: { port: 1 } });
  });
});
