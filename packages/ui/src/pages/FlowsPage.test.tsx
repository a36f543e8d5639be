// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../session/session";
import { ADMIN_SESSION, fakeApi } from "../test/fake-api";
import { fakeEvents, runStateEvent } from "../test/fake-events";
import { FlowsPage } from "./FlowsPage";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stamp = "2026-12-01T00:00:00.000Z";
const flow = (n: number, name: string) => ({ id: `0190a0a0-0000-7000-8000-00000000000${n}`, name, tags: [], created: stamp, updated: stamp });
const run = (name: string, state_type: string) => ({ id: "0190a0a0-0000-7000-8000-0000000000a1", name, state_type, state_name: state_type.charAt(0) + state_type.slice(1).toLowerCase() });

describe("the flows page", () => {
  test("follows live: a run's state change refetches that flow's last runs only; a run of a new flow brings the flow", async () => {
    const flows = [flow(1, "etl"), flow(2, "report")];
    const runs: Record<string, unknown[]> = { etl: [], report: [] };
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /flows": () => ({ body: { items: [...flows], next_cursor: null } }),
      "GET /deployments": { body: { items: [], next_cursor: null } },
      "GET /flow_runs": (r) => ({ body: { items: runs[r.query.get("flow_name") ?? ""] ?? [], next_cursor: null } }),
    });
    const events = fakeEvents();
    render(<SessionProvider>{() => <FlowsPage />}</SessionProvider>);
    const table = await screen.findByRole("table", { name: "Flows" });
    await vi.waitFor(() => expect(within(table).getAllByText("no runs")).toHaveLength(2));
    const reads = (flowName: string) => api.sent.filter((r) => r.path === "/flow_runs" && r.query.get("flow_name") === flowName).length;
    const reportReads = reads("report");

    runs.etl = [run("brave-otter", "COMPLETED")];
    events.emit("flow_run", runStateEvent("etl"));
    await within(table).findByRole("link", { name: /brave-otter/ }, { timeout: 5000 });
    expect(reads("report")).toBe(reportReads);

    flows.push(flow(3, "backfill"));
    events.emit("flow_run", runStateEvent("backfill", "RUNNING"));
    await within(table).findByRole("link", { name: "backfill" }, { timeout: 5000 });
  }, 15_000);
});
