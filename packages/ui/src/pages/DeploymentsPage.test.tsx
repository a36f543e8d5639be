// @vitest-environment happy-dom
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { Deployment } from "../api/types";
import { fakeApi } from "../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../test/page-test";
import { DeploymentsPage } from "./DeploymentsPage";

const ID = "0190a0a0-0000-7000-8000-0000000000d1";
const RUN = "0190a0a0-0000-7000-8000-0000000000a1";
const deployment = (paused: boolean): Deployment =>
  ({
    id: ID, name: "daily", flow_id: "0190a0a0-0000-7000-8000-0000000000f1", flow_name: "etl", entrypoint: "flows/etl.ts:etl", description: null, version: null,
    tags: ["nightly"], parameters: {}, parameter_schema: null, enforce_parameter_schema: true, pull_steps: [], schedules: [], paused, concurrency_limit: null,
    work_pool_name: "pool", work_queue_name: null, job_variables: {}, source: null, created: "2026-12-01T00:00:00.000Z", updated: "2026-12-01T00:00:00.000Z",
  }) as Deployment;

pageTestAt("/deployments");

describe("the deployments list", () => {
  test("a row runs its deployment with the defaults and links the new run; Pause pauses it and the row says so", async () => {
    let paused = false;
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /deployments": () => ({ body: { items: [deployment(paused)], next_cursor: null } }),
      "GET /deployments/summaries": { body: { items: [] } },
      [`POST /deployments/${ID}/runs`]: { status: 201, body: { id: RUN, name: "brave-otter" } },
      [`POST /deployments/${ID}/pause`]: () => {
        paused = true;
        return { body: deployment(true) };
      },
    });
    const user = userEvent.setup();
    renderInSession(<DeploymentsPage />);
    await user.click(await screen.findByRole("button", { name: "Run etl/daily" }));
    const link = await screen.findByRole("link", { name: "brave-otter" });
    expect(link.getAttribute("href")).toBe(`/runs/${RUN}`);
    expect(api.sent.find((r) => r.method === "POST" && r.path.endsWith("/runs"))?.body).toEqual({});
    await user.click(screen.getByRole("button", { name: "Pause etl/daily" }));
    const row = (await screen.findByRole("button", { name: "Resume etl/daily" })).closest("tr")!;
    expect(within(row).getByText("paused")).toBeTruthy();
  });

  test("the pool and the tag are asked of the server, from the first page", async () => {
    window.history.replaceState(null, "", "/deployments?cursor=abc");
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /deployments": { body: { items: [deployment(false)], next_cursor: null } },
      "GET /deployments/summaries": { body: { items: [] } },
      "GET /work_pools": { body: { items: [{ name: "pool" }, { name: "gpu" }], next_cursor: null } },
    });
    const user = userEvent.setup();
    renderInSession(<DeploymentsPage />);
    await screen.findByRole("link", { name: "etl/daily" });
    expect(api.sent.some((r) => r.path === "/work_pools")).toBe(false);
    await user.click(screen.getByLabelText("Work pool"));
    await user.selectOptions(screen.getByLabelText("Work pool"), await screen.findByRole("option", { name: "gpu" }));
    await user.type(screen.getByLabelText("Tag (exact)"), "nightly{Enter}");
    await vi.waitFor(() => {
      const last = api.sent.filter((r) => r.path === "/deployments").at(-1)!;
      expect(Object.fromEntries(last.query)).toEqual({ limit: "100", work_pool_name: "gpu", tag: "nightly" });
    });
  });
});
