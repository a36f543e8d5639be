import { z } from "zod";
import { IdSchema, PageQuerySchema, TimestampSchema } from "./common.js";

export { LOG_LEVELS, type LogLevelName } from "../log-levels.js";

export const LogCreateSchema = z
  .object({
    id: IdSchema.optional(),
    flow_run_id: IdSchema,
    task_run_id: IdSchema.nullable().optional(),
    name: z.string().max(200).default("baton"),
    level: z.number().int().min(0).max(100),
    message: z.string().max(1_000_000),
    timestamp: TimestampSchema,
  })
  .strict();
export type LogCreate = z.input<typeof LogCreateSchema>;

export const LogSchema = z.object({
  id: IdSchema,
  flow_run_id: IdSchema,
  task_run_id: IdSchema.nullable(),
  name: z.string(),
  level: z.number().int(),
  message: z.string(),
  timestamp: TimestampSchema,
});
export type Log = z.infer<typeof LogSchema>;

export const LogListQuerySchema = PageQuerySchema.extend({
  flow_run_id: IdSchema,
  task_run_id: IdSchema.optional(),
  min_level: z.coerce.number().int().min(0).optional(),
}).extend({ limit: z.coerce.number().int().min(1).max(5000).default(500) });
export type LogListQuery = z.input<typeof LogListQuerySchema>;
