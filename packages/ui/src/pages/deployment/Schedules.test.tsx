// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Deployment } from "../../api/types";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { Schedules } from "./Schedules";

const ID = "0190a0a0-0000-7000-8000-0000000000d1";
const DAILY = "0190a0a0-0000-7000-8000-0000000000e1";
const deployment = (schedules: Deployment["schedules"]): Deployment =>
  ({
    id: ID,
    name: "daily",
    flow_id: "0190a0a0-0000-7000-8000-0000000000f1",
    flow_name: "etl",
    entrypoint: "flows/etl.ts:etl",
    description: null,
    version: null,
    tags: [],
    parameters: {},
    parameter_schema: null,
    enforce_parameter_schema: true,
    pull_steps: [],
    schedules,
    paused: false,
    concurrency_limit: null,
    work_pool_name: "pool",
    work_queue_name: null,
    job_variables: {},
    source: null,
    created: "2026-12-01T00:00:00.000Z",
    updated: "2026-12-01T00:00:00.000Z",
  }) as Deployment;
const daily = { id: DAILY, schedule: { interval: 86400, timezone: "UTC" }, active: true, parameters: {} };

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderSchedules(d: Deployment, onChanged = vi.fn()) {
  render(<SessionProvider>{() => <Schedules deployment={d} refresh={0} onChanged={onChanged} />}</SessionProvider>);
  return onChanged;
}

describe("a deployment's schedules", () => {
  test("a schedule is checked as it is typed, named under its field, and added only when right", async () => {
    const added = deployment([daily, { id: "0190a0a0-0000-7000-8000-0000000000e2", schedule: { cron: "30 6 * * 1-5", timezone: "Europe/Paris" }, active: true, parameters: {} }]);
    const api = fakeApi({ "GET /auth/session": { body: ADMIN_SESSION }, [`POST /deployments/${ID}/schedules`]: { status: 201, body: added }, "GET /deployments/summaries": { body: { items: [] } } });
    const user = userEvent.setup();
    const onChanged = renderSchedules(deployment([daily]));
    await user.click(await screen.findByRole("button", { name: "Add a schedule" }));
    const cron = screen.getByLabelText("Cron expression");
    await user.clear(cron);
    await user.type(cron, "30 6 * *");
    expect(screen.getByText(/not a valid cron expression/)).toBeTruthy();
    expect(cron.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByRole("button", { name: "Add schedule" }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(cron, " 1-5");
    const zone = screen.getByLabelText("Time zone");
    await user.clear(zone);
    await user.type(zone, "Europe/Pari");
    expect(screen.getByText(/not an IANA time zone/)).toBeTruthy();
    await user.type(zone, "s");
    expect(screen.getByText(/weekdays at 06:30 \(Europe\/Paris\); next:/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Add schedule" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(added));
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ cron: "30 6 * * 1-5", timezone: "Europe/Paris" });
  });

  test("an interval is sent in seconds; an RRULE the server cannot read is refused as typed", async () => {
    const api = fakeApi({ "GET /auth/session": { body: ADMIN_SESSION }, [`POST /deployments/${ID}/schedules`]: { status: 201, body: deployment([]) }, "GET /deployments/summaries": { body: { items: [] } } });
    const user = userEvent.setup();
    renderSchedules(deployment([]));
    await user.click(await screen.findByRole("button", { name: "Add a schedule" }));
    await user.click(screen.getByLabelText("RRULE"));
    const rrule = screen.getByRole("textbox", { name: "RRULE" });
    await user.clear(rrule);
    await user.type(rrule, "FREQ=SOMETIMES");
    expect(screen.getByText(/not a valid RFC 5545 rule/)).toBeTruthy();
    await user.click(screen.getByLabelText("Interval"));
    const every = screen.getByLabelText("Every");
    await user.clear(every);
    await user.type(every, "15");
    await user.selectOptions(screen.getByLabelText("Unit"), "minutes");
    const zone = screen.getByLabelText("Time zone");
    await user.clear(zone);
    await user.type(zone, "UTC");
    await user.click(screen.getByRole("button", { name: "Add schedule" }));
    await vi.waitFor(() => expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ interval: 900, timezone: "UTC" }));
  });

  test("each schedule pauses and is deleted by itself; delete asks first", async () => {
    const pausedOne = deployment([{ ...daily, active: false }]);
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /deployments/summaries": { body: { items: [] } },
      [`PATCH /deployments/${ID}/schedules/${DAILY}`]: { body: pausedOne },
      [`DELETE /deployments/${ID}/schedules/${DAILY}`]: { body: deployment([]) },
    });
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    const user = userEvent.setup();
    const onChanged = renderSchedules(deployment([daily]));
    await user.click(await screen.findByRole("button", { name: "Pause schedule every 1 d (UTC)" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(pausedOne));
    expect(api.sent.find((r) => r.method === "PATCH")?.body).toEqual({ active: false });
    await user.click(screen.getByRole("button", { name: "Delete schedule every 1 d (UTC)" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("runs it made for later are deleted"));
    expect(api.sent.some((r) => r.method === "DELETE")).toBe(false);
    confirm.mockReturnValue(true);
    await user.click(screen.getByRole("button", { name: "Delete schedule every 1 d (UTC)" }));
    await vi.waitFor(() => expect(api.sent.some((r) => r.method === "DELETE")).toBe(true));
  });

  test("a schedule is edited in place: the form starts from it, is checked as typed, and sends only the new expression", async () => {
    const edited = deployment([{ ...daily, schedule: { cron: "0 7 * * 1-5", timezone: "Europe/Paris" } }]);
    const api = fakeApi({ "GET /auth/session": { body: ADMIN_SESSION }, "GET /deployments/summaries": { body: { items: [] } }, [`PATCH /deployments/${ID}/schedules/${DAILY}`]: { body: edited } });
    const user = userEvent.setup();
    const onChanged = renderSchedules(deployment([daily]));
    await user.click(await screen.findByRole("button", { name: "Edit schedule every 1 d (UTC)" }));
    const form = screen.getByRole("form", { name: "Edit the schedule" });
    expect((screen.getByLabelText("Interval") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Every") as HTMLInputElement).value).toBe("1");
    expect((screen.getByLabelText("Unit") as HTMLSelectElement).value).toBe("days");
    expect((screen.getByLabelText("Time zone") as HTMLInputElement).value).toBe("UTC");
    expect(form).toBeTruthy();
    await user.click(screen.getByLabelText("Cron"));
    const cron = screen.getByLabelText("Cron expression");
    await user.clear(cron);
    await user.type(cron, "0 7 * *");
    expect(screen.getByText(/not a valid cron expression/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save schedule" }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(cron, " 1-5");
    const zone = screen.getByLabelText("Time zone");
    await user.clear(zone);
    await user.type(zone, "Europe/Paris");
    expect(screen.getByText(/weekdays at 07:00 \(Europe\/Paris\); next:/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Save schedule" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(edited));
    expect(api.sent.find((r) => r.method === "PATCH")?.body).toEqual({ schedule: { cron: "0 7 * * 1-5", timezone: "Europe/Paris" } });
    expect(api.sent.some((r) => r.method === "POST")).toBe(false);
    expect(screen.queryByRole("form", { name: "Edit the schedule" })).toBeNull();
  });
});
