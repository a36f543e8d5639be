// @vitest-environment happy-dom
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { FlowRun } from "../api/types";
import { fakeApi } from "../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../test/page-test";
import { RunsPage } from "./RunsPage";

pageTestAt("/runs");

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 9, 0, s)).toISOString();
function run(n: number, name: string, seconds: number | null, state: FlowRun["state_type"] = "COMPLETED"): FlowRun {
  return {
    id: `0190a0a0-0000-7000-8000-00000000000${n}`,
    name,
    flow_id: "0190a0a0-0000-7000-8000-0000000000ff",
    flow_name: "etl",
    deployment_id: null,
    deployment_name: null,
    work_pool_name: null,
    work_queue_name: null,
    job_variables: null,
    worker_name: null,
    idempotency_key: null,
    parent_flow_run_id: null,
    parent_task_run_id: null,
    parameters: {},
    tags: [],
    state_type: state,
    state_name: state.charAt(0) + state.slice(1).toLowerCase(),
    state: { id: `0190a0a0-0000-7000-8000-0000000001${n}0`, type: state, name: state, message: null, timestamp: at(0), state_details: {}, data: null },
    run_count: 1,
    empirical_policy: { retries: 0, retry_delay_seconds: 0 },
    expected_start_time: at(0),
    start_time: seconds === null ? null : at(0),
    end_time: seconds === null ? null : at(seconds),
    heartbeat_time: null,
    created: at(0),
    updated: at(0),
  } as unknown as FlowRun;
}
const runs = [run(1, "quick-fox", 2), run(2, "slow-bear", 50, "FAILED"), run(3, "mid-owl", 20, "FAILED"), run(4, "waiting-cat", null, "SCHEDULED")];
const rowNames = () => within(screen.getByRole("table", { name: "Flow runs" })).getAllByRole("link").map((a) => a.textContent);

describe("the flow runs page's bulk actions and server-side order", () => {
  test("the Start and Duration headings ask the server for that order from the first page; the next page and bulk actions keep it", async () => {
    // The fake server answers in the order asked for (as the real one does over every run), so the
    // table must show the server's order, not reorder the page itself.
    const bySort: Record<string, FlowRun[]> = {
      created_desc: runs,
      duration_desc: [runs[1]!, runs[2]!, runs[0]!, runs[3]!],
      duration_asc: [runs[0]!, runs[2]!, runs[1]!, runs[3]!],
      start_time_desc: [runs[2]!, runs[0]!, runs[1]!, runs[3]!],
      start_time_asc: [runs[1]!, runs[0]!, runs[2]!, runs[3]!],
    };
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /flow_runs": (request) => ({ body: { items: bySort[request.query.get("sort") ?? "created_desc"]!, next_cursor: request.query.get("cursor") ? null : "page-2" } }),
      [`POST /flow_runs/${runs[1]!.id}/retry`]: { body: runs[1] },
    });
    const asked = () => api.sent.filter((r) => r.path === "/flow_runs").map((r) => `${r.query.get("sort") ?? ""}|${r.query.get("cursor") ?? ""}`);
    const heading = (name: RegExp) => screen.getByRole("columnheader", { name });
    const user = userEvent.setup();
    window.history.replaceState(null, "", "/runs?cursor=page-2");
    renderInSession(<RunsPage />);
    await screen.findByText("slow-bear");
    expect(heading(/Duration/).getAttribute("aria-sort")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Duration" }));
    await waitFor(() => expect(rowNames()).toEqual(["slow-bear", "mid-owl", "quick-fox", "waiting-cat"]));
    expect(window.location.search).toBe("?sort=longest"); // back to the first page
    expect(asked().at(-1)).toBe("duration_desc|");
    expect(heading(/Duration/).getAttribute("aria-sort")).toBe("descending");

    await user.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(asked().at(-1)).toBe("duration_desc|page-2"));

    await user.click(screen.getByRole("button", { name: "Duration" }));
    await waitFor(() => expect(rowNames()).toEqual(["quick-fox", "mid-owl", "slow-bear", "waiting-cat"]));
    expect(asked().at(-1)).toBe("duration_asc|");
    expect(heading(/Duration/).getAttribute("aria-sort")).toBe("ascending");

    await user.click(screen.getByRole("button", { name: "Start" }));
    await waitFor(() => expect(rowNames()).toEqual(["mid-owl", "quick-fox", "slow-bear", "waiting-cat"]));
    expect(asked().at(-1)).toBe("start_time_desc|");
    expect(heading(/Start/).getAttribute("aria-sort")).toBe("descending");
    expect(heading(/Duration/).getAttribute("aria-sort")).toBeNull();

    // Bulk actions act on the runs of the sorted page.
    vi.stubGlobal("confirm", vi.fn(() => true));
    await user.click(screen.getByLabelText("Select slow-bear"));
    await user.click(screen.getByRole("button", { name: "Retry selected" }));
    expect((await screen.findByRole("status")).textContent).toContain("1 run scheduled again");
    expect(api.sent.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([`/flow_runs/${runs[1]!.id}/retry`]);
    expect(asked().at(-1)).toBe("start_time_desc|"); // reloaded in the same order

    // Twice more on Start: earliest first, then back to newest first.
    await user.click(screen.getByRole("button", { name: "Start" }));
    await waitFor(() => expect(asked().at(-1)).toBe("start_time_asc|"));
    await user.click(screen.getByRole("button", { name: "Start" }));
    await waitFor(() => expect(window.location.search).toBe(""));
    expect(asked().at(-1)).toBe("|");
  });

  test("retrying the ticked runs asks first, calls the retry route for each, and names the ones the server refused", async () => {
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /flow_runs": { body: { items: runs, next_cursor: null } },
      [`POST /flow_runs/${runs[1]!.id}/retry`]: { body: runs[1] },
      [`POST /flow_runs/${runs[0]!.id}/retry`]: { status: 409, body: { code: "RunNotRetryable", message: "quick-fox is Completed; only Failed, Crashed or Cancelled runs can be retried" } },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    const user = userEvent.setup();
    renderInSession(<RunsPage />);
    await screen.findByText("slow-bear");
    const retry = screen.getByRole("button", { name: "Retry selected" });
    expect((retry as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByLabelText("Select slow-bear"));
    await user.click(screen.getByLabelText("Select quick-fox"));
    await user.click(retry);
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("Retry 2 runs"));
    const outcome = await screen.findByRole("status");
    expect(outcome.textContent).toContain("1 run scheduled again; 1 not:");
    expect(outcome.textContent).toContain("quick-fox: quick-fox is Completed");
    const retried = api.sent.filter((r) => r.method === "POST").map((r) => r.path);
    expect(retried.sort()).toEqual([`/flow_runs/${runs[0]!.id}/retry`, `/flow_runs/${runs[1]!.id}/retry`].sort());
    expect(retried.every((p) => p.endsWith("/retry"))).toBe(true);
  });

  test("delete does nothing when the confirmation is declined; select all ticks the page", async () => {
    const api = fakeApi({ ...sessionFor("admin"), "GET /flow_runs": { body: { items: runs, next_cursor: null } } });
    vi.stubGlobal("confirm", vi.fn(() => false));
    const user = userEvent.setup();
    renderInSession(<RunsPage />);
    await screen.findByText("slow-bear");
    await user.click(screen.getByLabelText("Select all 4 on this page"));
    expect(screen.getByText("4 selected")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Delete selected" }));
    expect(api.sent.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  test("cancel goes through the cancel route; a refused transition counts as not cancelled", async () => {
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /flow_runs": { body: { items: runs, next_cursor: null } },
      [`POST /flow_runs/${runs[3]!.id}/cancel`]: { body: { status: "ACCEPT", state: { type: "CANCELLED" }, details: {} } },
      [`POST /flow_runs/${runs[0]!.id}/cancel`]: { body: { status: "ABORT", state: { type: "COMPLETED" }, details: { reason: "the run is already Completed" } } },
    });
    vi.stubGlobal("confirm", vi.fn(() => true));
    const user = userEvent.setup();
    renderInSession(<RunsPage />);
    await screen.findByText("slow-bear");
    await user.click(screen.getByLabelText("Select waiting-cat"));
    await user.click(screen.getByLabelText("Select quick-fox"));
    await user.click(screen.getByRole("button", { name: "Cancel selected" }));
    const outcome = await screen.findByRole("status");
    expect(outcome.textContent).toContain("1 run cancelled; 1 not:");
    expect(outcome.textContent).toContain("quick-fox: the run is already Completed");
    expect(api.sent.filter((r) => r.method === "POST").length).toBe(2);
  });
});
