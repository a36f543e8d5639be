import { z } from "zod";
import { StateCreateSchema, StateSchema, StateTypeSchema } from "../states/index.js";
import { IdSchema, PageQuerySchema, TagsSchema, TimestampSchema } from "./common.js";

/** Where a task argument came from: another task run's result, a parameter, or a constant. */
export const TaskInputSchema = z.object({ input_type: z.enum(["task_run", "flow_run", "parameter"]), id: z.string() });
export type TaskInput = z.infer<typeof TaskInputSchema>;

export const TaskRunSchema = z.object({
  id: IdSchema,
  flow_run_id: IdSchema,
  /** The task's name: the same for every call of one task. */
  task_key: z.string(),
  /** `task_key-N`: N counts calls of this task in the flow run. */
  name: z.string(),
  dynamic_key: z.string(),
  tags: z.array(z.string()),
  state_type: StateTypeSchema,
  state_name: z.string(),
  state: StateSchema,
  run_count: z.number().int(),
  max_retries: z.number().int(),
  cache_key: z.string().nullable(),
  task_inputs: z.record(z.string(), z.array(TaskInputSchema)),
  /** Set when this task run stands for a subflow run. */
  subflow_run_id: IdSchema.nullable(),
  expected_start_time: TimestampSchema.nullable(),
  start_time: TimestampSchema.nullable(),
  end_time: TimestampSchema.nullable(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type TaskRun = z.infer<typeof TaskRunSchema>;

export const TaskRunCreateSchema = z
  .object({
    id: IdSchema,
    flow_run_id: IdSchema,
    task_key: z.string().min(1).max(200),
    name: z.string().min(1).max(300),
    dynamic_key: z.string().max(100),
    tags: TagsSchema.default([]),
    max_retries: z.number().int().min(0).default(0),
    /** Seconds before each retry the server schedules (set_state): one value, or one per retry (the last repeats). */
    retry_delay_seconds: z.union([z.number().min(0), z.array(z.number().min(0)).min(1)]).optional(),
    cache_key: z.string().max(500).optional(),
    task_inputs: z.record(z.string(), z.array(TaskInputSchema)).default({}),
    subflow_run_id: IdSchema.optional(),
    created: TimestampSchema.optional(),
  })
  .strict();
export type TaskRunCreate = z.input<typeof TaskRunCreateSchema>;

export const TaskRunListQuerySchema = PageQuerySchema.extend({
  flow_run_id: IdSchema.optional(),
  state: z.string().optional(),
});
export type TaskRunListQuery = z.input<typeof TaskRunListQuerySchema>;

export { StateCreateSchema };
