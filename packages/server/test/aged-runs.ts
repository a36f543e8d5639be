import { uuidv7 } from "@baton/core";
import { expect } from "vitest";
import { newFlowRun, type TestApp } from "./harness.js";

const DAY = 86_400_000;

/** A run made through the API with a task run and log lines, then moved `ageDays` into the past. */
export async function runAged(app: TestApp, ageDays: number, final: "COMPLETED" | "FAILED" | "RUNNING" | "SCHEDULED"): Promise<string> {
  const run = await newFlowRun(app);
  const taskRunId = uuidv7();
  expect((await app.api("POST", "/task_runs", { id: taskRunId, flow_run_id: run.id, task_key: "t", name: "t-0", dynamic_key: "0" })).status).toBe(201);
  await app.api("POST", `/task_runs/${taskRunId}/set_state`, { state: { type: "RUNNING" } });
  const at = new Date(Date.now() - ageDays * DAY).toISOString();
  await app.api("POST", "/logs", [1, 2, 3].map((n) => ({ flow_run_id: run.id, task_run_id: n === 1 ? taskRunId : null, level: 20, message: `line ${n}`, timestamp: at })));
  if (final !== "SCHEDULED") await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
  if (final === "COMPLETED" || final === "FAILED") await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: final } });
  await app.db.db.updateTable("flow_runs").set({ created: at, ...(final === "COMPLETED" || final === "FAILED" ? { end_time: at } : {}) }).where("id", "=", run.id).execute();
  return run.id;
}

