import { z } from "zod";
import { StateCreateSchema } from "../states/index.js";
import { IdSchema } from "./common.js";
import { LogCreateSchema } from "./logs.js";
import { TaskRunCreateSchema } from "./task-runs.js";

/**
 * What a running flow tells the server in one request: new task runs, their state changes
 * and log lines, applied in one transaction. Batching is how the engine records thousands of
 * task runs a second; order inside each list is the order things happened.
 */
export const RunReportSchema = z
  .object({
    task_runs: z.array(TaskRunCreateSchema).max(20_000).default([]),
    task_run_states: z
      .array(z.object({ task_run_id: IdSchema, state: StateCreateSchema }).strict())
      .max(60_000)
      .default([]),
    logs: z.array(LogCreateSchema).max(20_000).default([]),
  })
  .strict();
export type RunReport = z.input<typeof RunReportSchema>;

export const RunReportResultSchema = z.object({
  task_runs_created: z.number().int(),
  states_accepted: z.number().int(),
  logs_written: z.number().int(),
  /** Transitions the orchestration rules refused, with why; the engine logs them. */
  rejected: z.array(z.object({ task_run_id: z.string(), reason: z.string() })),
});
export type RunReportResult = z.infer<typeof RunReportResultSchema>;
