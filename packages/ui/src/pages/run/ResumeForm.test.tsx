// @vitest-environment happy-dom
import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import type { FlowRun } from "../../api/types";
import { setDisplayTimeZone } from "../../lib/time";
import { fakeApi } from "../../test/fake-api";
import { undoAfterEach } from "../../test/page-test";
import { ResumeForm } from "./ResumeForm";

undoAfterEach();

const RUN_ID = "7c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f";
const paused = {
  id: RUN_ID,
  state_type: "PAUSED",
  state: {
    id: "s5",
    type: "PAUSED",
    name: "Paused",
    message: null,
    timestamp: "2026-12-06T21:00:00.000Z",
    data: null,
    state_details: {
      pause_timeout: "2026-12-06T22:00:00.000Z",
      input_schema: { type: "object", properties: { approved: { type: "boolean" }, note: { type: "string" } }, required: ["approved"] },
    },
  },
} as unknown as FlowRun;

test("a paused run waiting for input: a form built from its schema, sent as the resume's input", async () => {
  const api = fakeApi({ [`POST /flow_runs/${RUN_ID}/resume`]: { body: { ...paused, state_type: "RUNNING" } } });
  const onResumed = vi.fn();
  render(<ResumeForm run={paused} onResumed={onResumed} />);
  expect(screen.getByRole("heading", { name: "This run waits for input" })).toBeTruthy();
  await userEvent.click(screen.getByRole("checkbox", { name: /approved/ }));
  await userEvent.type(screen.getByRole("textbox", { name: /note/ }), "ship it");
  await userEvent.click(screen.getByRole("button", { name: "Resume" }));
  await vi.waitFor(() => expect(onResumed).toHaveBeenCalled());
  expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ input: { approved: true, note: "ship it" } });
});

test("the resume form draws its input with the run form's editors: a list's rows, a date and time, problems by path", async () => {
  setDisplayTimeZone("UTC");
  const schema = {
    type: "object",
    properties: { reviewers: { type: "array", minItems: 1, items: { type: "string" } }, until: { type: "string", format: "date-time" }, limits: { type: "object", additionalProperties: { type: "integer" } } },
    required: ["reviewers"],
  };
  const waiting = { ...paused, state: { ...paused.state, state_details: { ...paused.state.state_details, input_schema: schema } } } as unknown as FlowRun;
  const api = fakeApi({ [`POST /flow_runs/${RUN_ID}/resume`]: { body: { ...paused, state_type: "RUNNING" } } });
  const onResumed = vi.fn();
  render(<ResumeForm run={waiting} onResumed={onResumed} />);
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Resume" }));
  expect(screen.getByText("One field needs a fix before the run can resume: reviewers.")).toBeTruthy();
  expect(screen.getByText("reviewers: needs at least 1 item")).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Add item reviewers[0]" }));
  await user.type(screen.getByLabelText("reviewers[0]"), "ana");
  fireEvent.change(screen.getByLabelText("until"), { target: { value: "2026-12-24T09:30" } });
  await user.click(screen.getByRole("button", { name: "Add entry 1 to limits" }));
  await user.type(screen.getByLabelText("limits key 1"), "rows");
  await user.type(screen.getByLabelText("limits value 1"), "5");
  await user.click(screen.getByRole("button", { name: "Resume" }));
  await vi.waitFor(() => expect(onResumed).toHaveBeenCalled());
  expect(api.sent.find((r) => r.method === "POST")?.body).toEqual({ input: { reviewers: ["ana"], until: "2026-12-24T09:30:00.000Z", limits: { rows: 5 } } });
});
