// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { ApiKeys } from "./ApiKeys";

const stamp = "2026-12-01T00:00:00.000Z";
const key = (name: string, work_pools: string[] | null, deployments: string[] | null) => ({
  id: `0190a0a0-0000-7000-8000-0000000000${name.length}1`, name, role: "worker", prefix: "bat_AbCd", work_pools, deployments, created: stamp, expires: null, last_used: null, revoked: null,
});

beforeEach(() => vi.stubGlobal("EventSource", undefined));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the API keys settings", () => {
  test("each key's scope is shown; a new key is limited to the pools and deployments typed, checked as typed", async () => {
    const stored = [key("ci", null, null), key("gpu-worker", ["gpu", "gpu-spot"], ["etl/nightly"])];
    const api = fakeApi({
      "GET /auth/session": { body: ADMIN_SESSION },
      "GET /api_keys": () => ({ body: { items: [...stored], next_cursor: null } }),
      "POST /api_keys": (r) => {
        const body = r.body as { name: string; work_pools?: string[]; deployments?: string[] };
        const made = key(body.name, body.work_pools ?? null, body.deployments ?? null);
        stored.push(made);
        return { status: 201, body: { ...made, key: "bat_secret" } };
      },
    });
    const user = userEvent.setup();
    render(<SessionProvider>{() => <ApiKeys />}</SessionProvider>);
    const table = await screen.findByRole("table", { name: "API keys" });
    expect(within(within(table).getByText("ci").closest("tr")!).getByText("any pool or deployment")).toBeTruthy();
    expect(within(within(table).getByText("gpu-worker").closest("tr")!).getByText("only pools gpu, gpu-spot; deployments etl/nightly")).toBeTruthy();

    await user.type(screen.getByLabelText("Key name"), "k8s-worker");
    await user.selectOptions(screen.getByLabelText("Role"), "worker");
    await user.type(screen.getByLabelText("Only work pools"), "k8s, k8s ,");
    await user.type(screen.getByLabelText("Only deployments"), "etl");
    expect(screen.getByText('"etl" is not flow/deployment (e.g. etl/nightly)')).toBeTruthy();
    expect((screen.getByRole("button", { name: "Create API key" }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByLabelText("Only deployments"), "/nightly");
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    await screen.findByText(/worker, only pools k8s; deployments etl\/nightly/);
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ name: "k8s-worker", role: "worker", work_pools: ["k8s"], deployments: ["etl/nightly"] });
  });
});
