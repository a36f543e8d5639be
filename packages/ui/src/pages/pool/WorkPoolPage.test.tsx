// @vitest-environment happy-dom
import { cleanup, screen, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import type { FlowRun, WorkPool } from "../../api/types";
import { fakeApi } from "../../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../../test/page-test";
import { WorkPoolPage } from "./WorkPoolPage";

const pool = {
  id: "0190a0a0-0000-7000-8000-0000000000a1", name: "k8s", type: "kubernetes", description: null,
  base_job_template: { job_configuration: {}, variables: { type: "object", properties: {} } }, concurrency_limit: null, paused: false,
  status: "NOT_READY", default_queue_name: "default", created: "2026-12-01T00:00:00.000Z", updated: "2026-12-01T00:00:00.000Z",
} as unknown as WorkPool;
const worker = (status: string) => ({ id: "0190a0a0-0000-7000-8000-0000000000b1", name: "night-worker", work_pool_name: "k8s", status, last_heartbeat_time: "2026-12-01T08:00:00.000Z", heartbeat_interval_seconds: 10, created: "2026-12-01T00:00:00.000Z" });
const queue = (paused: boolean) => ({ id: "0190a0a0-0000-7000-8000-0000000000c1", name: "default", work_pool_name: "k8s", priority: 1, concurrency_limit: null, paused, description: null });
const run = {
  id: "0190a0a0-0000-7000-8000-0000000000d1", name: "brave-otter", flow_id: "0190a0a0-0000-7000-8000-0000000000ff", flow_name: "etl", deployment_id: null, deployment_name: null,
  work_pool_name: "k8s", work_queue_name: "default", state_type: "COMPLETED", state_name: "Completed", tags: [], parameters: {},
  expected_start_time: "2026-12-01T08:00:00.000Z", start_time: "2026-12-01T08:00:00.000Z", end_time: "2026-12-01T08:00:02.000Z", created: "2026-12-01T08:00:00.000Z", updated: "2026-12-01T08:00:02.000Z",
} as unknown as FlowRun;

pageTestAt("/work-pools/k8s");

function answers(workers: unknown[], queues: unknown[]) {
  return fakeApi({
    ...sessionFor("admin"),
    "GET /work_pools/k8s": { body: pool },
    "GET /work_pools/k8s/workers": { body: { items: workers } },
    "GET /work_pools/k8s/queues": { body: { items: queues } },
    "GET /deployments": { body: { items: [], next_cursor: null } },
    "GET /flow_runs": { body: { items: [run], next_cursor: null } },
  });
}

describe("a work pool's page", () => {
  test("says in words why the pool is not ready: the last heartbeat and its window, and every queue paused", async () => {
    answers([worker("OFFLINE")], [queue(true)]);
    renderInSession(<WorkPoolPage name="k8s" />);
    const why = await screen.findByRole("note", { name: "Why the pool is not ready" });
    await vi.waitFor(() => expect(within(why).getByText(/No worker has polled within its heartbeat window/)).toBeTruthy());
    expect(why.textContent).toContain("30 s at its 10 s interval");
    expect(why.textContent).toContain("The last heartbeat came from night-worker");
    expect(why.textContent).toContain("baton worker start --pool k8s");
    expect(why.textContent).toContain("Every queue of the pool is paused");
  });

  test("a pool no worker ever polled says so; a worker online makes it ready with no explanation", async () => {
    answers([], [queue(false)]);
    renderInSession(<WorkPoolPage name="k8s" />);
    await vi.waitFor(() => expect(screen.getByRole("note").textContent).toContain("No worker has ever polled this pool"));
    cleanup();
    answers([worker("ONLINE")], [queue(false)]);
    renderInSession(<WorkPoolPage name="k8s" />);
    await screen.findByRole("table", { name: "Workers" });
    expect(screen.queryByRole("note")).toBeNull();
    expect(screen.getAllByText("Ready").length).toBeGreaterThan(0);
  });

  test("lists the pool's runs, asked of the server by pool, with a link to all of them", async () => {
    const api = answers([worker("ONLINE")], [queue(false)]);
    renderInSession(<WorkPoolPage name="k8s" />);
    const table = await screen.findByRole("table", { name: "Runs of k8s" });
    expect(within(table).getByRole("link", { name: "brave-otter" })).toBeTruthy();
    const asked = api.sent.find((r) => r.path === "/flow_runs")!;
    expect(asked.query.get("work_pool_name")).toBe("k8s");
    expect(asked.query.get("upcoming")).toBe("exclude");
    expect(screen.getByRole("link", { name: "All runs of this pool" }).getAttribute("href")).toBe("/runs?pool=k8s");
  });
});
