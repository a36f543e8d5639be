import { expect, it } from "vitest";
import { messageOf } from "./message.js";

const rule = { name: "ops", title: null, body: null };
const at = "2026-12-07T06:00:00.000Z";

it("a message about no run (a missed deadline, a dark pool) says what happened, not a run's name", () => {
  const facts = { event: "NO_COMPLETED_RUN", flow_run: null, state: { type: "NO_COMPLETED_RUN", name: "No completed run", message: "no run of etl/nightly Completed by 07:00 Europe/Paris on 2026-12-07", timestamp: at }, url: null };
  expect(messageOf(rule, facts)).toMatchObject({ title: "Baton: No completed run", text: "no run of etl/nightly Completed by 07:00 Europe/Paris on 2026-12-07" });
  expect(messageOf({ ...rule, title: "{state} ({message})" }, facts).title).toBe("No completed run (no run of etl/nightly Completed by 07:00 Europe/Paris on 2026-12-07)");
});

it("a run's message and the test message keep the run's shape", () => {
  const run = { id: "r1", name: "brave-fox", flow_name: "etl", deployment: "nightly", tags: [], work_pool: "p" };
  expect(messageOf(rule, { event: "FAILED", flow_run: run, state: { type: "FAILED", name: "Failed", message: "boom", timestamp: at }, url: null }).title).toBe("Baton: flow run brave-fox is Failed");
  expect(messageOf(rule, { event: "TEST", flow_run: null, state: { type: "TEST", name: "Test", message: "a test", timestamp: at }, url: null }).title).toBe("Baton: flow run (test) is Test");
});
