// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Artifact, FlowRun, Log, Page, State, TaskRun } from "../../api/types";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { fakeEvents } from "../../test/fake-events";
import { RunPage } from "./RunPage";

const RUN_ID = "7c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f";
const FLOW_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

beforeEach(() => {
  // No live stream in a test: the page falls back to polling, which a test ends before it ticks.
  vi.stubGlobal("EventSource", undefined);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const at = (second: number) => `2026-12-06T21:00:${String(second).padStart(2, "0")}.000Z`;

function state(id: string, type: State["type"], name: string, second: number, extra: Partial<State> = {}): State {
  return { id, type, name, message: null, timestamp: at(second), state_details: {}, data: null, ...extra };
}

// The shapes GET /flow_runs/:id and GET /flow_runs/:id/states answer for a run whose flow threw.
const failedState = state("s4", "FAILED", "Failed", 9, {
  message: "ValueError: row 7 has no id",
  data: { error: { name: "ValueError", message: "row 7 has no id", stack: "ValueError: row 7 has no id\n    at load (flows/etl.ts:12:11)" } },
});
const states: State[] = [
  state("s1", "SCHEDULED", "Scheduled", 0),
  state("s2", "PENDING", "Pending", 2),
  state("s3", "RUNNING", "Running", 3),
  failedState,
];

function flowRun(last: State, extra: Partial<FlowRun> = {}): FlowRun {
  return {
    id: RUN_ID,
    name: "brave-otter",
    flow_id: FLOW_ID,
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
    cancel_with_parent: true,
    parameters: { table: "orders" },
    tags: ["nightly"],
    state_type: last.type,
    state_name: last.name,
    state: last,
    run_count: 1,
    empirical_policy: { retries: 0, retry_delay_seconds: 0 },
    expected_start_time: at(0),
    start_time: at(3),
    end_time: last.type === "RUNNING" ? null : at(9),
    heartbeat_time: at(8),
    created: at(0),
    updated: at(9),
    ...extra,
  };
}

function log(n: number, level: number, message: string): Log {
  return { id: `00000000-0000-4000-8000-00000000000${n}`, flow_run_id: RUN_ID, task_run_id: null, name: "baton.flow_runs", level, message, timestamp: at(3 + n) };
}
const logs: Log[] = [log(1, 20, "Loading 12 rows from orders"), log(2, 10, "row 7: {}"), log(3, 40, "Flow run failed: ValueError: row 7 has no id")];

const page = <T,>(items: T[]): Page<T> => ({ items, next_cursor: null });

function serve(run: FlowRun, runStates: State[], runLogs: Log[], artifacts: Artifact[] = []) {
  return fakeApi({
    "GET /artifacts": { body: page(artifacts) },
    "GET /auth/session": { body: ADMIN_SESSION },
    [`GET /flow_runs/${RUN_ID}`]: { body: run },
    [`GET /flow_runs/${RUN_ID}/states`]: { body: page(runStates) },
    [`GET /flow_runs/${RUN_ID}/job_configuration`]: { body: { work_pool_name: null, work_pool_type: null, job_configuration: null, issues: [] } },
    [`GET /flow_runs/${RUN_ID}/why`]: { body: { flow_run_id: RUN_ID, state_type: "SCHEDULED", reasons: [] } },
    "GET /task_runs": { body: page<TaskRun>([]) },
    "GET /flow_runs": { body: page<FlowRun>([]) },
    "GET /logs": { body: page(runLogs) },
  });
}

const renderPage = () => render(<SessionProvider>{() => <RunPage id={RUN_ID} />}</SessionProvider>);

describe("the run page", () => {
  test("its artifacts: a section with each one drawn by its type, keys linking to their versions", async () => {
    const artifact = (id: string, key: string | null, type: Artifact["type"], data: unknown): Artifact => ({
      id, key, type, data, description: null, flow_run_id: RUN_ID, task_run_id: null, flow_run_name: "brave-otter", flow_name: "etl", created: at(5), updated: at(5),
    });
    const api = serve(flowRun(failedState), states, logs, [
      artifact("0190c0de-0000-7000-8000-000000000001", "nightly-report", "markdown", "# Loaded\n\n<script>window.pwned = true</script>"),
      artifact("0190c0de-0000-7000-8000-000000000002", null, "table", { columns: ["region"], rows: [{ region: "eu" }] }),
    ]);
    renderPage();
    const section = (await screen.findByRole("heading", { level: 2, name: "Artifacts" })).closest("section")!;
    expect(within(section).getByRole("heading", { level: 1, name: "Loaded" })).toBeTruthy();
    expect(within(section).getByRole("cell", { name: "eu" })).toBeTruthy();
    expect(within(section).getByRole("link", { name: "nightly-report" }).getAttribute("href")).toBe("/artifacts?key=nightly-report");
    expect(section.querySelector("script")).toBeNull();
    expect(api.fetch.mock.calls.map(([input]) => String(input)).find((u) => u.includes("/api/artifacts"))).toContain(`flow_run_id=${RUN_ID}`);
  });

  test("a run that went Running while its page loaded, before the live stream opened, shows Running once the stream is open", async () => {
    // The stream replays nothing from before its `ready`: the state event of a run that starts as
    // its page loads is sent to nobody (seen in the browser suite: a page stuck on Pending).
    const events = fakeEvents();
    const pending = state("s2", "PENDING", "Pending", 2);
    const running = state("s3", "RUNNING", "Running", 3);
    let current = pending;
    serve(flowRun(pending, { start_time: null, end_time: null }), states.slice(0, 2), []);
    vi.mocked(fetch).mockImplementation(((original) => async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), "http://127.0.0.1");
      if (url.pathname === `/api/flow_runs/${RUN_ID}`) return new Response(JSON.stringify(flowRun(current, { end_time: null })), { status: 200, headers: { "content-type": "application/json" } });
      return original(input, init);
    })(vi.mocked(fetch).getMockImplementation()!));
    const { container } = renderPage();
    await waitFor(() => expect(container.querySelector('h1 + .state-badge')?.getAttribute("data-state-type")).toBe("PENDING"));
    current = running;
    act(() => events.ready());
    await waitFor(() => expect(container.querySelector('h1 + .state-badge')?.getAttribute("data-state-type")).toBe("RUNNING"), { timeout: 3_000 });
  });

  test("a child started with cancelWithParent false says it is not cancelled with its parent", async () => {
    serve(flowRun(failedState, { parent_flow_run_id: "0190c0de-0000-7000-8000-00000000aaaa", cancel_with_parent: false }), states, logs);
    renderPage();
    const parent = await screen.findByRole("link", { name: "parent flow run" });
    expect(parent.closest("dd")!.textContent).toBe("parent flow run · not cancelled with it (cancelWithParent: false)");
  });

  test("a failed run: its state, its state history, its logs, and the error said once", async () => {
    serve(flowRun(failedState), states, logs);
    renderPage();

    expect(await screen.findByRole("heading", { level: 1, name: "brave-otter" })).toBeTruthy();
    const logBox = screen.getByRole("log", { name: "Logs" });
    await within(logBox).findByText("Loading 12 rows from orders");
    expect(within(logBox).getAllByText(/^(INFO|DEBUG|ERROR)$/).map((e) => e.textContent)).toEqual(["INFO", "DEBUG", "ERROR"]);

    // The error: its stack in the Error section, and nowhere else as the page's own text.
    const stack = screen.getByLabelText("Error stack");
    expect(stack.textContent).toBe("ValueError: row 7 has no id\n    at load (flows/etl.ts:12:11)");
    const history = await screen.findByRole("list", { hidden: false });
    expect(within(history).getAllByRole("listitem")).toHaveLength(4);
    expect(within(history).getByText("the error above")).toBeTruthy();
    const mentions = screen.getAllByText(/row 7 has no id/).filter((e) => !logBox.contains(e));
    expect(mentions).toEqual([stack]);

    expect(screen.getByRole("link", { name: "etl" }).getAttribute("href")).toBe("/runs?flow=etl");
    expect(screen.getByText("nightly")).toBeTruthy();
  });

  test("the log filters narrow what the run said", async () => {
    serve(flowRun(failedState), states, logs);
    const user = userEvent.setup();
    renderPage();
    const logBox = await screen.findByRole("log", { name: "Logs" });
    await within(logBox).findByText("Loading 12 rows from orders");
    await user.selectOptions(screen.getByLabelText("Log level"), "Error and up");
    expect(within(logBox).queryByText("Loading 12 rows from orders")).toBeNull();
    expect(within(logBox).getByText("Flow run failed: ValueError: row 7 has no id")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Log level"), "All");
    await user.type(screen.getByLabelText("Search logs"), "nothing like this");
    expect(within(logBox).getByText("No line matches the filter.")).toBeTruthy();
  });

  test("a completed run shows its result and a run with no logs says so", async () => {
    const completed = state("s4", "COMPLETED", "Completed", 9, { data: { result: { loaded: 12 } } });
    serve(flowRun(completed), [...states.slice(0, 3), completed], []);
    renderPage();
    expect(await screen.findByRole("heading", { name: "Result" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Error" })).toBeNull();
    expect(await screen.findByText("No logs yet.")).toBeTruthy();
    expect(screen.getByLabelText("Result").textContent).toContain('"loaded": 12');
  });

  test("a run the server does not know shows the server's message", async () => {
    fakeApi({
      [`GET /flow_runs/${RUN_ID}`]: { status: 404, body: { code: "FlowRunNotFound", message: `FlowRunNotFound: no flow run with id ${RUN_ID}` } },
    });
    renderPage();
    expect(await screen.findByRole("heading", { level: 1, name: "Flow run not found" })).toBeTruthy();
    expect(screen.getAllByText(`FlowRunNotFound: no flow run with id ${RUN_ID}`)).toHaveLength(1);
    expect(screen.getByRole("link", { name: "All flow runs" }).getAttribute("href")).toBe("/runs");
  });
});
