import { expect, it } from "vitest";
import { fillParameters } from "./actions.js";

const facts = {
  event: "FAILED",
  flow_run: { id: "r1", name: "brave-fox", flow_name: "etl", deployment: "nightly", tags: [], work_pool: "p" },
  state: { type: "FAILED", name: "Failed", message: "boom", timestamp: "2026-01-01T00:00:00.000Z" },
  url: null,
};

it("fills the triggering run's fields into parameters, whole values keep their type, unknown names stay", () => {
  expect(fillParameters({ run: "{{ flow_run.id }}", note: "{{flow_run.name}} failed: {{ state.message }}", n: 3, list: ["{{ flow_run.deployment }}"], other: "{{ nope }}" }, facts)).toEqual({
    run: "r1",
    note: "brave-fox failed: boom",
    n: 3,
    list: ["nightly"],
    other: "{{ nope }}",
  });
});
