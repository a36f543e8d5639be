import { z } from "zod";
import { BaseJobTemplateInputSchema, BaseJobTemplateSchema } from "../job-templates/schema.js";
import { WORK_POOL_TYPES } from "../job-templates/defaults.js";
import { ResourceNameSchema, TimestampSchema } from "./common.js";

const name = ResourceNameSchema;
export const WorkPoolNameSchema = name;
export const WorkPoolTypeSchema = z.enum(WORK_POOL_TYPES);

export const WorkQueueSchema = z.object({
  id: z.string(),
  work_pool_name: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  /** 1 is served first. */
  priority: z.number().int(),
  concurrency_limit: z.number().int().nullable(),
  paused: z.boolean(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type WorkQueue = z.infer<typeof WorkQueueSchema>;

export const WorkQueueCreateSchema = z
  .object({
    name,
    description: z.string().max(5000).optional(),
    priority: z.number().int().min(1).max(1000).default(1),
    /** 0 starts no run (as in Prefect); null removes the limit. */
    concurrency_limit: z.number().int().nonnegative().nullable().optional(),
    paused: z.boolean().default(false),
  })
  .strict();
export const WorkQueueUpdateSchema = WorkQueueCreateSchema.omit({ name: true }).partial().strict();

export const WorkPoolSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: WorkPoolTypeSchema,
  description: z.string().nullable(),
  base_job_template: BaseJobTemplateSchema,
  concurrency_limit: z.number().int().nullable(),
  paused: z.boolean(),
  /** READY when a worker heartbeat recently, NOT_READY when none is online, PAUSED. */
  status: z.enum(["READY", "NOT_READY", "PAUSED"]),
  default_queue_name: z.string(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type WorkPool = z.infer<typeof WorkPoolSchema>;

export const WorkPoolCreateSchema = z
  .object({
    name,
    type: WorkPoolTypeSchema,
    description: z.string().max(5000).optional(),
    /** The type's default when omitted. */
    base_job_template: BaseJobTemplateInputSchema.optional(),
    /** 0 starts no run (as in Prefect); null removes the limit. */
    concurrency_limit: z.number().int().nonnegative().nullable().optional(),
    paused: z.boolean().default(false),
  })
  .strict();
export const WorkPoolUpdateSchema = WorkPoolCreateSchema.omit({ name: true, type: true }).partial().strict();

/** Creating or updating a pool also says what in its template would silently do nothing. */
export const WorkPoolWriteResultSchema = z.object({
  work_pool: WorkPoolSchema,
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const WorkPoolNameParamsSchema = z.object({ name });
export const WorkQueueParamsSchema = z.object({ name, queue: name });

export const WorkerSchema = z.object({
  id: z.string(),
  name: z.string(),
  work_pool_name: z.string(),
  status: z.enum(["ONLINE", "OFFLINE"]),
  last_heartbeat_time: TimestampSchema,
  heartbeat_interval_seconds: z.number(),
  created: TimestampSchema,
});
export type Worker = z.infer<typeof WorkerSchema>;

export const WorkerHeartbeatSchema = z
  .object({
    name: z.string().min(1).max(200),
    heartbeat_interval_seconds: z.number().positive().max(3600).default(10),
  })
  .strict();
