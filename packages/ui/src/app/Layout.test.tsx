// @vitest-environment happy-dom
import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Deployment, FlowRun } from "../api/types";
import { RunForm } from "../components/RunForm";
import { fakeApi } from "../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../test/page-test";
import { Layout } from "./Layout";

// "Local" must differ from UTC for the switch to move anything: New York is UTC-5 in December.
const savedTz = process.env.TZ;
beforeAll(() => (process.env.TZ = "America/New_York"));
afterAll(() => (process.env.TZ = savedTz));
pageTestAt("/deployments/5b0d3c4e-1f2a-4b6c-8d9e-0a1b2c3d4e5f");

const ID = "5b0d3c4e-1f2a-4b6c-8d9e-0a1b2c3d4e5f";
const schema = { type: "object", properties: { table: { type: "string" }, since: { type: "string", format: "date-time" } }, required: ["table"] };
const deployment = { id: ID, name: "nightly", flow_name: "etl", parameter_schema: schema, parameters: {}, job_variables: {}, work_pool_name: null } as unknown as Deployment;

describe("the display zone switch", () => {
  test("keeps what was typed into the run form; its date-times show the same instant in the new zone and are sent as it", async () => {
    const api = fakeApi({ ...sessionFor("admin"), [`POST /deployments/${ID}/runs`]: { status: 201, body: { id: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", name: "brave-otter" } as FlowRun } });
    renderInSession(
      <Layout>
        <RunForm deployment={deployment} submitLabel="Run" onCreated={vi.fn()} />
      </Layout>,
    );
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Run deployment" });
    const table = within(form).getByLabelText("table");
    await user.type(table, "orders");
    fireEvent.change(within(form).getByLabelText("since"), { target: { value: "2026-12-24T09:30" } });
    fireEvent.change(within(form).getByLabelText("Run later (your local time)"), { target: { value: "2026-12-24T10:00" } });
    await user.type(within(form).getByLabelText("Run name"), "by-hand");

    await user.click(screen.getByRole("button", { name: "Local times" }));
    expect(screen.getByRole("button", { name: "Times in UTC" })).toBeTruthy();
    // The same form, not a new one: the input typed into is still in the page, with its text.
    expect(within(form).getByLabelText("table")).toBe(table);
    expect(table).toHaveProperty("value", "orders");
    expect(within(form).getByLabelText("Run name")).toHaveProperty("value", "by-hand");
    expect(within(form).getByLabelText("since")).toHaveProperty("value", "2026-12-24T14:30");
    expect(within(form).getByText("date and time, UTC")).toBeTruthy();
    expect(within(form).getByLabelText("Run later (UTC)")).toHaveProperty("value", "2026-12-24T15:00");
    expect(within(form).getByText(/^Starts 2026-12-24 15:00:00 UTC/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Run" }));
    const post = api.sent.find((r) => r.method === "POST");
    expect(post?.body).toEqual({ parameters: { table: "orders", since: "2026-12-24T14:30:00.000Z" }, name: "by-hand", scheduled_time: "2026-12-24T15:00:00.000Z" });

    // And back: the wall times return to New York's.
    await user.click(screen.getByRole("button", { name: "Times in UTC" }));
    expect(within(form).getByLabelText("since")).toHaveProperty("value", "2026-12-24T09:30");
    expect(within(form).getByLabelText("Run later (your local time)")).toHaveProperty("value", "2026-12-24T10:00");
  });
});
