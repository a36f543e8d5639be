// @vitest-environment happy-dom
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import { fakeApi } from "../test/fake-api";
import { pageTestAt, renderInSession, sessionFor } from "../test/page-test";
import { RunsPage } from "./RunsPage";

pageTestAt("/runs");

const empty = { body: { items: [], next_cursor: null } };

describe("the flow runs page", () => {
  test("asks for the runs alone, without upcoming ones; the dropdowns' lists load when reached for", async () => {
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /flow_runs": empty,
      "GET /deployments": { body: { items: [{ id: "0190a0a0-0000-7000-8000-000000000001", flow_name: "etl", name: "daily" }], next_cursor: null } },
      "GET /work_pools": empty,
    });
    const user = userEvent.setup();
    renderInSession(<RunsPage />);
    await screen.findByText("No flow runs.");
    const paths = () => api.sent.map((r) => r.path);
    expect(paths()).not.toContain("/deployments");
    expect(paths()).not.toContain("/work_pools");
    const runsUrl = api.fetch.mock.calls.map(([input]) => String(input)).find((u) => u.includes("/api/flow_runs"));
    expect(runsUrl).toContain("upcoming=exclude");
    await user.click(screen.getByLabelText("Deployment"));
    await screen.findByRole("option", { name: "etl/daily" });
    expect(paths()).toContain("/work_pools");
  });

  test("shows how many runs the filters match, 10,000+ past the server's cap, counted without paging", async () => {
    window.history.replaceState(null, "", "/runs?state=FAILED");
    const api = fakeApi({ ...sessionFor("admin"), "GET /flow_runs": empty, "GET /flow_runs/count": { body: { count: 10000, capped: true } } });
    renderInSession(<RunsPage />);
    await screen.findByText("10,000+ runs");
    const countUrl = api.fetch.mock.calls.map(([input]) => String(input)).find((u) => u.includes("/api/flow_runs/count"));
    expect(countUrl).toContain("state=FAILED");
    expect(countUrl).not.toContain("limit=");
  });

  test("the toggle brings upcoming runs back, through the URL", async () => {
    fakeApi({ ...sessionFor("admin"), "GET /flow_runs": empty });
    const user = userEvent.setup();
    renderInSession(<RunsPage />);
    await screen.findByText("No flow runs.");
    await user.click(screen.getByLabelText("Show upcoming scheduled runs"));
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(window.location.search).toBe("?upcoming=include");
  });

  test("several states at once, flow names suggested as one types, oldest first", async () => {
    const api = fakeApi({
      ...sessionFor("admin"),
      "GET /flow_runs": empty,
      "GET /flows": { body: { items: [{ id: "0190a0a0-0000-7000-8000-000000000002", name: "etl-flow" }], next_cursor: null } },
    });
    const user = userEvent.setup();
    renderInSession(<RunsPage />);
    await screen.findByText("No flow runs.");
    await user.click(screen.getByLabelText("Failed"));
    await user.click(screen.getByLabelText("Crashed"));
    await user.click(screen.getByLabelText("Flow"));
    await waitFor(() => expect(document.querySelector('#flow-names option[value="etl-flow"]')).toBeTruthy());
    expect(api.sent.some((r) => r.path === "/flows")).toBe(true);
    await user.selectOptions(screen.getByLabelText("Order"), "Oldest first");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(new URLSearchParams(window.location.search).get("state")).toBe("FAILED,CRASHED");
    expect(new URLSearchParams(window.location.search).get("sort")).toBe("oldest");
  });
});
