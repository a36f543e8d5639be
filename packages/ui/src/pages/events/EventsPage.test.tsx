// @vitest-environment happy-dom
import { act, cleanup, render, screen, within } from "@testing-library/react";
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
const page = () => {
  fakeApi({
    "GET /auth/session": { body: ADMIN_SESSION },
    "GET /work_pools": { body: { items: [{ name: "gpu" }, { name: "nightly" }], next_cursor: null } },
    "GET /deployments": { body: { items: [{ id: DEPLOYMENT_ID, name: "etl", flow_name: "etl-flow" }], next_cursor: null } },
  });
  const events = fakeEvents();
  render(<SessionProvider>{() => <EventsPage />}</SessionProvider>);
  return events;
};
const rows = () => within(screen.getByRole("table", { name: "Events" })).getAllByRole("row").slice(1);

describe("the events page", () => {
  test("shows state changes and heartbeats newest first, with their time and links; pause holds the list, resume brings what waited", async () => {
    const events = page();
    await screen.findByText(/The feed starts when this page opens/);
    await screen.findByText(/Waiting for events/);
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
    act(() => events.emit("flow_run", runStateEvent("etl-flow", "COMPLETED")));
    expect(rows()).toHaveLength(2);
    expect(screen.getByRole("status").textContent).toContain("Paused: 1 new event waiting.");
    await user.click(screen.getByRole("button", { name: "Resume" }));
    expect(rows()).toHaveLength(3);
    expect(within(rows()[0]!).getByText("Completed")).toBeTruthy();
  });

  test("keeps the last 500 events", async () => {
    const events = page();
    await screen.findByText(/Waiting for events/);
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
  });
});
