// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { formatLocal } from "../../lib/time";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { fakeEvents, runStateEvent } from "../../test/fake-events";
import { EventsPage } from "./EventsPage";

beforeEach(() => window.history.replaceState(null, "", "/events"));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DEPLOYMENT_ID = "0190a0a0-0000-7000-8000-00000000d001";
const heartbeat = { name: "worker-a", work_pool_name: "gpu", status: "ONLINE", last_heartbeat_time: "2026-12-01T00:00:05.000Z" };
type History = (query: URLSearchParams) => { status?: number; body: unknown };
const noHistory: History = () => ({ body: { items: [], next_cursor: null } });
const page = (history: History = noHistory) => {
  const api = fakeApi({
    "GET /auth/session": { body: ADMIN_SESSION },
    "GET /work_pools": { body: { items: [{ name: "gpu" }, { name: "nightly" }], next_cursor: null } },
    "GET /deployments": { body: { items: [{ id: DEPLOYMENT_ID, name: "etl", flow_name: "etl-flow" }], next_cursor: null } },
    "GET /events/history": (request) => history(request.query),
  });
  const events = fakeEvents();
  render(<SessionProvider>{() => <EventsPage />}</SessionProvider>);
  return { ...events, sent: api.sent };
};
/** A stored state change of run `n` at second `second`, as the history lists it. */
const past = (n: number, second: number) => ({
  ...runStateEvent(`flow-${n}`, "COMPLETED"),
  id: `0190a0a0-0000-7000-8000-0000000${String(n).padStart(5, "0")}`,
  state_id: `state-${n}`,
  timestamp: new Date(Date.UTC(2026, 10, 30, 0, 0, second)).toISOString(),
});
const rows = () => within(screen.getByRole("table", { name: "Events" })).getAllByRole("row").slice(1);

describe("the events page", () => {
  test("shows state changes and heartbeats newest first, with their time and links; pause holds the list, resume brings what waited", async () => {
    const events = page();
    await screen.findByText(/Workers' heartbeats are not stored/);
    await screen.findByText(/No state changes yet/);
    expect(events.urls[0]).toContain("types=flow_run%2Cworker");
    act(() => events.emit("flow_run", { ...runStateEvent("etl-flow", "RUNNING"), deployment_id: DEPLOYMENT_ID, deployment_name: "etl", work_pool_name: "gpu" }));
    act(() => events.emit("worker", heartbeat));
    const [first, second] = rows();
    expect(first!.textContent).toContain("Worker worker-a sent a heartbeat");
    expect(within(first!).getByRole("link", { name: "gpu" }).getAttribute("href")).toBe("/work-pools/gpu");
    expect(within(first!).getByText(formatLocal(heartbeat.last_heartbeat_time))).toBeTruthy();
    expect(within(second!).getByText("Running")).toBeTruthy();
    expect(within(second!).getByRole("link", { name: /^0190a0a0/ }).getAttribute("href")).toBe(`/runs/${runStateEvent("x").id}`);
    expect(within(second!).getByRole("link", { name: "etl" }).getAttribute("href")).toBe(`/deployments/${DEPLOYMENT_ID}`);

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Pause" }));
    act(() => events.emit("flow_run", { ...runStateEvent("etl-flow", "COMPLETED"), timestamp: "2026-12-01T00:00:10.000Z" }));
    expect(rows()).toHaveLength(2);
    expect(screen.getByRole("status").textContent).toContain("Paused: 1 new event waiting.");
    await user.click(screen.getByRole("button", { name: "Resume" }));
    expect(rows()).toHaveLength(3);
    expect(within(rows()[0]!).getByText("Completed")).toBeTruthy();
  });

  test("keeps the last 500 events", async () => {
    const events = page();
    await screen.findByText(/No state changes yet/);
    act(() => {
      for (let i = 0; i < 501; i++) events.emit("flow_run", { ...runStateEvent(`flow-${i}`), id: `run-${i}` });
    });
    expect(rows()).toHaveLength(500);
    expect(rows()[0]!.textContent).toContain("flow-500");
    expect(screen.queryByText(/of flow-0$/)).toBeNull();
  });

  test("filters by type, pool and deployment: the stream is asked for only those, in the URL", async () => {
    const events = page();
    const user = userEvent.setup();
    await screen.findByRole("option", { name: "nightly" });
    await user.selectOptions(screen.getByLabelText("Work pool"), "nightly");
    expect(window.location.search).toBe("?pool=nightly");
    expect(events.urls.at(-1)).toContain("work_pool_name=nightly");
    await user.selectOptions(screen.getByLabelText("Events"), "worker");
    expect(events.urls.at(-1)).toMatch(/types=worker(&|$)/);
    await user.selectOptions(screen.getByLabelText("Events"), "");
    await user.selectOptions(screen.getByLabelText("Deployment"), "etl-flow/etl");
    expect(events.urls.at(-1)).toContain(`deployment_id=${DEPLOYMENT_ID}`);
    expect(events.urls.at(-1)).toMatch(/types=flow_run(&|$)/);
    // The history is asked with the same filters.
    await waitFor(() => expect(events.sent.some((r) => r.path === "/events/history" && r.query.get("deployment_id") === DEPLOYMENT_ID)).toBe(true));
    const pooled = events.sent.filter((r) => r.path === "/events/history" && r.query.get("work_pool_name") === "nightly");
    expect(pooled.length).toBeGreaterThan(0);
  });

  test("opens on the history, newest first; Load older goes on from its cursor; live events go on top, each state once", async () => {
    const events = page((query) =>
      query.get("cursor") === "page-2" ? { body: { items: [past(2, 2), past(1, 1)], next_cursor: null } } : { body: { items: [past(4, 4), past(3, 3)], next_cursor: "page-2" } },
    );
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((r) => r.textContent)).toEqual([expect.stringContaining("flow-4"), expect.stringContaining("flow-3")]);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Load older" }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows()[3]!.textContent).toContain("flow-1");
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
    // The stream sends a state the history already listed (it committed while the page loaded), then a new one.
    act(() => events.ready());
    act(() => events.emit("flow_run", past(4, 4)));
    act(() => events.emit("flow_run", { ...past(5, 5), state_type: "RUNNING", state_name: "Running" }));
    expect(rows()).toHaveLength(5);
    expect(rows()[0]!.textContent).toContain("flow-5");
    expect(rows()[1]!.textContent).toContain("flow-4");
  });

  test("says whether it is live: connecting, live, reconnecting (and catches up from the history), offline", async () => {
    let answers = 0;
    const events = page(() => ({ body: { items: answers++ === 0 ? [past(1, 1)] : [past(2, 2), past(1, 1)], next_cursor: null } }));
    const status = () => screen.getByRole("status").textContent;
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(status()).toContain("Connecting…");
    act(() => events.ready());
    expect(status()).toContain("Live.");
    act(() => events.fail());
    expect(status()).toContain("Reconnecting…");
    expect(status()).not.toContain("Live.");
    // Back: what happened meanwhile is fetched from the history and shown in its place.
    act(() => events.ready());
    expect(status()).toContain("Live.");
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]!.textContent).toContain("flow-2");
    act(() => events.fail(true));
    expect(status()).toContain("Offline");
  });

  test("heartbeats alone: no history is asked for, and the page says why", async () => {
    window.history.replaceState(null, "", "/events?type=worker");
    const events = page();
    await screen.findByText(/Waiting for heartbeats: they are not stored/);
    expect(events.sent.some((r) => r.path === "/events/history")).toBe(false);
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
  });

  test("a history the server refuses shows its message, and the live feed still works", async () => {
    const events = page(() => ({ status: 403, body: { code: "Forbidden", message: "Forbidden: the API key \"ops\" may act only on work pools gpu" } }));
    await screen.findByText(/may act only on work pools gpu/);
    act(() => events.emit("flow_run", past(7, 7)));
    expect(rows()).toHaveLength(1);
  });
});
