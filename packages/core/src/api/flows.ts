import { z } from "zod";
import { FLOW_NAME_HINT, FLOW_NAME_MAX_LENGTH, FLOW_NAME_PATTERN } from "../names.js";
import { IdSchema, TagsSchema, TimestampSchema } from "./common.js";

/** Flow names appear in URLs and `flow/deployment` references: keep them plain. */
export const FlowNameSchema = z
  .string()
  .min(1)
  .max(FLOW_NAME_MAX_LENGTH)
  .regex(FLOW_NAME_PATTERN, FLOW_NAME_HINT);

export const FlowSchema = z.object({
  id: IdSchema,
  name: z.string(),
  tags: z.array(z.string()),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type Flow = z.infer<typeof FlowSchema>;

/** Creating a flow that exists returns the existing one: flows are registered by name, idempotently. */
export const FlowCreateSchema = z.object({ name: FlowNameSchema, tags: TagsSchema.default([]) }).strict();
export type FlowCreate = z.input<typeof FlowCreateSchema>;

export const FlowListQuerySchema = z.object({
  name: z.string().optional(),
});
