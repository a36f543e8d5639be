// @vitest-environment happy-dom
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { WorkPool } from "../../api/types";
import { fakeApi } from "../../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../../test/page-test";
import { CreatePoolForm } from "./CreatePoolForm";
import { PoolControls } from "./PoolControls";
import { Queues } from "./Queues";

const pool = (extra: Partial<WorkPool> = {}): WorkPool =>
  ({
    id: "0190a0a0-0000-7000-8000-0000000000a1",
    name: "k8s",
    type: "kubernetes",
    description: null,
    base_job_template: { job_configuration: {}, variables: { type: "object", properties: {} } },
    concurrency_limit: null,
    paused: false,
    status: "NOT_READY",
    default_queue_name: "default",
    created: "2026-12-01T00:00:00.000Z",
    updated: "2026-12-01T00:00:00.000Z",
    ...extra,
  }) as WorkPool;

pageTestAt("/work-pools/k8s");

describe("work pool management", () => {
  test("pause, a concurrency limit checked as typed, and delete only after a confirmation", async () => {
    const api = fakeApi({
      ...sessionFor("admin"),
      "PATCH /work_pools/k8s": (r) => ({ body: { work_pool: pool(r.body as Partial<WorkPool>), warnings: [] } }),
      "DELETE /work_pools/k8s": { status: 204, body: null },
    });
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderInSession(<PoolControls pool={pool()} onSaved={onSaved} />);
    await user.click(await screen.findByRole("button", { name: "Pause pool" }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ paused: true })));

    const limit = screen.getByLabelText("Concurrency limit");
    await user.type(limit, "2.5");
    expect(screen.getByText(/A whole number from 0/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save limit" }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(limit);
    await user.type(limit, "4");
    await user.click(screen.getByRole("button", { name: "Save limit" }));
    await screen.findByText("Saved.");
    expect(api.sent.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ paused: true }, { concurrency_limit: 4 }]);

    await user.click(screen.getByRole("button", { name: "Delete pool k8s" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete work pool "k8s"'));
    expect(api.sent.some((r) => r.method === "DELETE")).toBe(false);
    confirm.mockReturnValue(true);
    await user.click(screen.getByRole("button", { name: "Delete pool k8s" }));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/work-pools"));
    expect(api.sent.some((r) => r.method === "DELETE" && r.path === "/work_pools/k8s")).toBe(true);
  });

  test("creating a pool sends its type and limit, opens its page, and shows the server's refusal verbatim", async () => {
    let taken = true;
    const api = fakeApi({
      ...sessionFor("admin"),
      "POST /work_pools": () =>
        taken ? { status: 409, body: { code: "WorkPoolExists", message: 'WorkPoolExists: a work pool named "k8s" exists' } } : { status: 201, body: { work_pool: pool({ name: "k8s-2" }), warnings: [] } },
    });
    const user = userEvent.setup();
    renderInSession(<CreatePoolForm />);
    await user.type(await screen.findByLabelText("Pool name"), "k8s");
    await user.selectOptions(screen.getByLabelText("Type"), "kubernetes");
    await user.type(screen.getByLabelText("Concurrency limit"), "0");
    await user.click(screen.getByRole("button", { name: "Create pool" }));
    expect((await screen.findByRole("alert")).textContent).toContain('a work pool named "k8s" exists');
    taken = false;
    await user.type(screen.getByLabelText("Pool name"), "-2");
    await user.click(screen.getByRole("button", { name: "Create pool" }));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/work-pools/k8s-2"));
    expect(api.sent.filter((r) => r.method === "POST").at(-1)?.body).toEqual({ name: "k8s-2", type: "kubernetes", concurrency_limit: 0 });
  });

  test("queues: pause one, delete one after a confirmation (never the default), add one with a checked priority", async () => {
    const queue = (name: string, extra = {}) => ({ id: `q-${name}`, work_pool_name: "k8s", name, description: null, priority: 1, concurrency_limit: null, paused: false, created: "2026-12-01T00:00:00.000Z", updated: "2026-12-01T00:00:00.000Z", ...extra });
    const api = fakeApi({
      ...sessionFor("admin"),
      "PATCH /work_pools/k8s/queues/high": { body: queue("high", { paused: true }) },
      "DELETE /work_pools/k8s/queues/high": { status: 204, body: null },
      "POST /work_pools/k8s/queues": { status: 201, body: queue("low", { priority: 5 }) },
    });
    vi.stubGlobal("confirm", vi.fn(() => true));
    const onChanged = vi.fn();
    const user = userEvent.setup();
    renderInSession(<Queues pool={pool()} queues={[queue("default"), queue("high")]} onChanged={onChanged} />);
    await user.click(await screen.findByRole("button", { name: "Pause queue high" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole("button", { name: "Delete queue default" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Delete queue high" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledTimes(2));
    await user.type(screen.getByLabelText("New queue"), "low");
    const priority = screen.getByLabelText("Priority");
    await user.clear(priority);
    await user.type(priority, "0");
    expect(screen.getByText(/A whole number from 1/)).toBeTruthy();
    await user.clear(priority);
    await user.type(priority, "5");
    await user.click(screen.getByRole("button", { name: "Add queue" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledTimes(3));
    expect(api.sent.filter((r) => r.method !== "GET").map((r) => [r.method, r.path, r.body])).toEqual([
      ["PATCH", "/work_pools/k8s/queues/high", { paused: true }],
      ["DELETE", "/work_pools/k8s/queues/high", undefined],
      ["POST", "/work_pools/k8s/queues", { name: "low", priority: 5, concurrency_limit: null }],
    ]);
  });
});
