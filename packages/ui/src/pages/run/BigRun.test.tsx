// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { FlowRun, Log, Page, State, TaskRun } from "../../api/types";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { RunPage } from "./RunPage";

const RUN_ID = "7c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f";
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const T0 = Date.parse("2026-12-05T22:30:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function state(type: State["type"], name: string, ms: number): State {
  return { id: `s-${type}-${ms}`, type, name, message: null, timestamp: iso(ms), state_details: {}, data: null };
}

function task(i: number): TaskRun {
  const start = T0 + i * 6000;
  const failed = i === 437;
  const last = failed ? state("FAILED", "Failed", start + 60_000) : state("COMPLETED", "Completed", start + 60_000);
  return {
    id: uuid(i + 1),
    flow_run_id: RUN_ID,
    task_key: "load_partition",
    name: `load_partition-${i}`,
    dynamic_key: String(i),
    tags: [],
    state_type: last.type,
    state_name: last.name,
    state: last,
    run_count: 1,
    max_retries: 0,
    cache_key: null,
    task_inputs: {},
    subflow_run_id: null,
    expected_start_time: iso(start),
    start_time: iso(start),
    end_time: iso(start + 60_000),
    created: iso(start),
    updated: iso(start + 60_000),
  } as TaskRun;
}
const TASKS = Array.from({ length: 700 }, (_, i) => task(i));

const run = {
  id: RUN_ID, name: "big-backfill-700", flow_id: uuid(9999), flow_name: "warehouse-sync-flow", deployment_id: null, deployment_name: null, work_pool_name: null, work_queue_name: null, job_variables: null, worker_name: null, idempotency_key: null, parent_flow_run_id: null, parent_task_run_id: null, cancel_with_parent: true,
  parameters: {}, tags: [], state_type: "FAILED", state_name: "Failed", state: state("FAILED", "Failed", T0 + 7_200_000), run_count: 1, empirical_policy: { retries: 0, retry_delay_seconds: 0 },
  expected_start_time: iso(T0), start_time: iso(T0), end_time: iso(T0 + 7_200_000), heartbeat_time: null, created: iso(T0), updated: iso(T0),
} as unknown as FlowRun;

// The flow run's own line before midnight (UTC and Paris), two task runs' lines after.
const LOGS: Log[] = [
  { id: uuid(90001), flow_run_id: RUN_ID, task_run_id: null, name: "baton.flow_runs", level: 20, message: "Starting the backfill", timestamp: iso(T0) },
  { id: uuid(90002), flow_run_id: RUN_ID, task_run_id: uuid(438), name: "baton.task_runs", level: 40, message: "partition 437 has 3 rows that break the unique key", timestamp: iso(T0 + 5_400_000) },
  { id: uuid(90003), flow_run_id: RUN_ID, task_run_id: uuid(2), name: "baton.task_runs", level: 20, message: "Finished in state Completed()", timestamp: iso(T0 + 5_500_000) },
];

function serve() {
  return fakeApi({
    "GET /auth/session": { body: ADMIN_SESSION },
    [`GET /flow_runs/${RUN_ID}`]: { body: run },
    [`GET /flow_runs/${RUN_ID}/states`]: { body: { items: [run.state], next_cursor: null } },
    [`GET /flow_runs/${RUN_ID}/job_configuration`]: { body: { work_pool_name: null, work_pool_type: null, job_configuration: null, issues: [] } },
    "GET /flow_runs": { body: { items: [], next_cursor: null } },
    "GET /logs": { body: { items: LOGS, next_cursor: null } },
  });
}

describe("a run of 700 task runs", () => {
  test("every task run is reachable: the chart says it is cut, the table pages through all 700", async () => {
    const api = serve();
    api.fetch.mockImplementation(wrap(api.fetch.getMockImplementation()!));
    const user = userEvent.setup();
    render(<SessionProvider>{() => <RunPage id={RUN_ID} />}</SessionProvider>);
    await screen.findByRole("heading", { level: 1, name: "big-backfill-700" });
    await screen.findByText(/Showing the first 100 of 700 task runs/);
    const table = screen.getByRole("table", { name: "Task runs" });
    expect(within(table).getAllByRole("row")).toHaveLength(51);
    expect(screen.getByText("1–50 of 700")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(screen.getByText("51–100 of 700")).toBeTruthy();
    await user.click(screen.getByLabelText("Find a task run"));
    await user.paste("load_partition-699");
    expect(within(table).getByRole("link", { name: "load_partition-699" }).getAttribute("href")).toBe(`/task-runs/${uuid(700)}`);
    // The failed one, by state, and the chart's jump to it.
    await user.clear(screen.getByLabelText("Find a task run"));
    await user.selectOptions(screen.getByLabelText("State"), "FAILED");
    expect(within(table).getAllByRole("link").map((a) => a.textContent)).toEqual(["load_partition-437"]);
    // The jump itself (drawing all 700 rows) is the browser suite's: test/e2e/ui-pages.test.ts.
    expect(screen.getByRole("button", { name: "Jump to the failed task (load_partition-437)" })).toBeTruthy();
  }, 120_000); // a busy two-core machine

  test("log lines name their task run with a link, filter by task, and carry the date when the run spans days", async () => {
    const api = serve();
    api.fetch.mockImplementation(wrap(api.fetch.getMockImplementation()!));
    const user = userEvent.setup();
    render(<SessionProvider>{() => <RunPage id={RUN_ID} />}</SessionProvider>);
    const logBox = await screen.findByRole("log", { name: "Logs" });
    const link = await within(logBox).findByRole("link", { name: "load_partition-437" });
    expect(link.getAttribute("href")).toBe(`/task-runs/${uuid(438)}`);
    expect(within(logBox).getByText("baton.flow_runs")).toBeTruthy(); // the flow run's own line names its logger
    const times = [...logBox.querySelectorAll("time")].map((t) => t.textContent);
    expect(times.every((t) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t ?? ""))).toBe(true);
    expect(new Set(times.map((t) => t?.slice(0, 10))).size).toBe(2);
    await user.selectOptions(screen.getByLabelText("Log level"), "Error and up");
    expect(within(logBox).queryByText("Starting the backfill")).toBeNull();
    await user.selectOptions(screen.getByLabelText("Log level"), "All");
    await user.selectOptions(screen.getByLabelText("Task run"), "load_partition-437");
    expect(within(logBox).getByText("partition 437 has 3 rows that break the unique key")).toBeTruthy();
    expect(within(logBox).queryByText("Starting the backfill")).toBeNull();
    await user.selectOptions(screen.getByLabelText("Task run"), "The flow run's own lines");
    expect(within(logBox).getByText("Starting the backfill")).toBeTruthy();
    expect(within(logBox).queryByText("Finished in state Completed()")).toBeNull();
  }, 120_000);
});

/** Answers GET /task_runs in pages of 500 by cursor, as the API does; the rest as served. */
function wrap(inner: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>) {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://127.0.0.1");
    if (url.pathname !== "/api/task_runs") return inner(input, init);
    const offset = Number(url.searchParams.get("cursor") ?? 0);
    const limit = Number(url.searchParams.get("limit"));
    const items = TASKS.slice(offset, offset + limit);
    const body: Page<TaskRun> = { items, next_cursor: offset + limit < TASKS.length ? String(offset + limit) : null };
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  };
}
