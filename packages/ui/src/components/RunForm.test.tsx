// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { Deployment, FlowRun } from "../api/types";
import { setDisplayTimeZone } from "../lib/time";
import { fakeApi } from "../test/fake-api";
import { undoAfterEach } from "../test/page-test";
import { RunForm } from "./RunForm";

undoAfterEach();

const DEPLOYMENT_ID = "5b0d3c4e-1f2a-4b6c-8d9e-0a1b2c3d4e5f";

// What zod's toJSONSchema writes for `z.object({ table, limit, mode, dry, level, target })` (io: "input").
const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    table: { type: "string", description: "Table to load" },
    limit: { default: 10, type: "integer", minimum: 1, maximum: 9007199254740991 },
    mode: { default: "full", type: "string", enum: ["full", "delta"] },
    dry: { type: "boolean" },
    level: { type: "integer", enum: [1, 2, 3] },
    target: { type: "object", properties: { schema: { default: "public", type: "string" } } },
  },
  required: ["table", "level"],
};

/** The fields of a deployment the form reads; the rest of the API's answer does not matter here. */
function deployment(parameter_schema: Record<string, unknown> | null, parameters: Record<string, unknown> = {}): Deployment {
  return { id: DEPLOYMENT_ID, name: "nightly", flow_name: "etl", parameter_schema, parameters } as unknown as Deployment;
}

const created = { id: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", name: "brave-otter" } as FlowRun;

function renderForm(d: Deployment) {
  const onCreated = vi.fn();
  const api = fakeApi({ [`POST /deployments/${DEPLOYMENT_ID}/runs`]: { status: 201, body: created } });
  render(<RunForm deployment={d} submitLabel="Run" onCreated={onCreated} />);
  return { onCreated, api, user: userEvent.setup() };
}

describe("the Run form", () => {
  test("renders one labelled input per schema property, with its type, default and required mark", () => {
    renderForm(deployment(schema, { limit: 25 }));
    const form = screen.getByRole("form", { name: "Run deployment" });
    expect(within(form).getByLabelText("table")).toHaveProperty("value", "");
    expect(within(form).getByText("Table to load")).toBeTruthy();
    // The deployment's own parameter wins over the schema default.
    expect(within(form).getByLabelText("limit")).toHaveProperty("value", "25");
    const mode = within(form).getByLabelText("mode");
    expect(within(mode).getAllByRole("option").map((o) => o.textContent)).toEqual(["(default)", "full", "delta"]);
    expect(within(form).getByLabelText("dry")).toHaveProperty("type", "checkbox");
    expect(within(form).getByRole("group", { name: "target" })).toBeTruthy();
    expect(within(form).getByLabelText("schema")).toHaveProperty("value", "public");
    expect(within(form).getAllByText("required")).toHaveLength(2);
  });

  test("a submit with missing or mistyped values shows what to fix per field and sends nothing", async () => {
    const { api, onCreated, user } = renderForm(deployment(schema));
    // No message before the first try: an empty form is not an error yet.
    expect(screen.queryByRole("alert")).toBeNull();
    await user.clear(screen.getByLabelText("limit"));
    await user.type(screen.getByLabelText("limit"), "2.5");
    await user.click(screen.getByRole("button", { name: "Run" }));

    expect(screen.getByText("3 fields need a fix before the run can start: table, limit, level.")).toBeTruthy();
    const table = screen.getByLabelText("table");
    expect(table.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(table.getAttribute("aria-describedby")?.split(" ").at(-1) ?? "")?.textContent).toBe("table: required: enter a value");
    expect(screen.getByText("limit: must be a whole number, not 2.5")).toBeTruthy();
    // An enum with no default and no choice made is as missing as an empty text field.
    expect(screen.getByLabelText("level").getAttribute("aria-invalid")).toBe("true");
    expect(api.sent).toEqual([]);
    expect(onCreated).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText("limit"));
    await user.type(screen.getByLabelText("limit"), "0");
    expect(screen.getByText("limit: must be at least 1")).toBeTruthy();
    await user.clear(screen.getByLabelText("limit"));
    await user.type(screen.getByLabelText("limit"), "ten");
    expect(screen.getByText('limit: "ten" is not a number')).toBeTruthy();
  });

  test("a valid form posts typed JSON (numbers, enum values, booleans, nested objects), name and tags", async () => {
    const { api, onCreated, user } = renderForm(deployment(schema));
    await user.type(screen.getByLabelText("table"), "orders");
    await user.clear(screen.getByLabelText("limit"));
    await user.type(screen.getByLabelText("limit"), "500");
    await user.selectOptions(screen.getByLabelText("mode"), "delta");
    await user.selectOptions(screen.getByLabelText("level"), "2");
    await user.click(screen.getByLabelText("dry"));
    await user.type(screen.getByLabelText("Run name"), "  backfill  ");
    await user.type(screen.getByLabelText("Tags"), "nightly, , manual");
    await user.click(screen.getByRole("button", { name: "Run" }));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(api.sent).toEqual([
      expect.objectContaining({
        method: "POST",
        path: `/deployments/${DEPLOYMENT_ID}/runs`,
        body: {
          parameters: { table: "orders", limit: 500, mode: "delta", dry: true, level: 2, target: { schema: "public" } },
          name: "backfill",
          tags: ["nightly", "manual"],
        },
      }),
    ]);
  });

  test("the server's refusal is shown in the form, with its message", async () => {
    const onCreated = vi.fn();
    fakeApi({
      [`POST /deployments/${DEPLOYMENT_ID}/runs`]: {
        status: 409,
        body: { code: "DeploymentPaused", message: 'DeploymentPaused: deployment "etl/nightly" is paused; resume it with baton deployment resume etl/nightly' },
      },
    });
    const user = userEvent.setup();
    render(<RunForm deployment={deployment(schema, { table: "orders", level: 1 })} submitLabel="Run" onCreated={onCreated} />);
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(await screen.findByText(/deployment "etl\/nightly" is paused; resume it/)).toBeTruthy();
    expect(onCreated).not.toHaveBeenCalled();
  });

  test("without a schema the parameters are one JSON object, checked before sending", async () => {
    const { api, onCreated, user } = renderForm(deployment(null, { n: 1 }));
    const box = screen.getByLabelText("Parameters (JSON)");
    expect(JSON.parse((box as HTMLTextAreaElement).value)).toEqual({ n: 1 });
    await user.clear(box);
    await user.type(box, "[[1, 2]");
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(screen.getByText('parameters: must be a JSON object: {"key": 1}')).toBeTruthy();
    expect(api.sent).toEqual([]);

    await user.clear(box);
    await user.type(box, '{{"n": 2, "who": "ops"}');
    await user.click(screen.getByRole("button", { name: "Run" }));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.sent[0]?.body).toEqual({ parameters: { n: 2, who: "ops" } });
  });

  test("a flow that takes no parameters says so and posts an empty object", async () => {
    const { api, onCreated, user } = renderForm(deployment({ type: "object", properties: {}, additionalProperties: false }));
    expect(screen.getByText("This flow takes no parameters.")).toBeTruthy();
    expect(screen.queryByLabelText("Parameters (JSON)")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Run" }));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.sent[0]?.body).toEqual({ parameters: {} });
  });

  test("run later sends the time typed in the display zone; a job-variable override is checked against the pool's variables as typed", async () => {
    setDisplayTimeZone("UTC");
    const d = { ...deployment(null, {}), work_pool_name: "pool", job_variables: { image: "etl:1" } } as unknown as Deployment;
    const onCreated = vi.fn();
    const template = { job_configuration: {}, variables: { type: "object", properties: { image: { type: "string" }, env: { type: "object" } } } };
    const api = fakeApi({ [`POST /deployments/${DEPLOYMENT_ID}/runs`]: { status: 201, body: created }, "GET /work_pools/pool": { body: { name: "pool", base_job_template: template } } });
    render(<RunForm deployment={d} submitLabel="Run" onCreated={onCreated} />);
    const user = userEvent.setup();
    const later = screen.getByLabelText("Run later (UTC)");
    fireEvent.change(later, { target: { value: "2026-12-24T09:30" } });
    expect(screen.getByText(/^Starts 2026-12-24 09:30:00 UTC/)).toBeTruthy();

    const vars = screen.getByLabelText("Job variables override (JSON)");
    await user.click(vars);
    await screen.findByText(/Variables of pool pool: image, env/);
    await user.paste('{"cpu": 2}');
    expect(screen.getByText(/"cpu" is not a variable of this work pool's job template; declared variables: image, env/)).toBeTruthy();
    await user.clear(vars);
    await user.paste('{"image": 3}');
    expect(screen.getByText('"image" must be string')).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Run" }));
    expect(api.sent.some((r) => r.method === "POST")).toBe(false);
    await user.clear(vars);
    await user.paste('{"image": "etl:2", "env.LOG_LEVEL": "DEBUG"}');
    await user.click(screen.getByRole("button", { name: "Run" }));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ parameters: {}, scheduled_time: "2026-12-24T09:30:00.000Z", job_variables: { image: "etl:2", "env.LOG_LEVEL": "DEBUG" } });
  });
});
