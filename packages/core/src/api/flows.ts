import { z } from "zod";
import { IdSchema, TagsSchema, TimestampSchema } from "./common.js";

/** Flow names appear in URLs and `flow/deployment` references: keep them plain. */
export const FlowNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.\- ]*$/, "use letters, digits, spaces, '-', '_' and '.', starting with a letter or digit");

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
