// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test, vi } from "vitest";
import type { FlowRun } from "../../api/types";
import { fakeApi } from "../../test/fake-api";
import { ResumeForm } from "./ResumeForm";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

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
