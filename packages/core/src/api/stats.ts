import { z } from "zod";
import { STATE_TYPES, StateTypeSchema } from "../states/index.js";
import { IdSchema, TimestampSchema } from "./common.js";

/** At most this many buckets in one answer: a chart has no use for more, and it bounds the work. */
export const MAX_STATS_BUCKETS = 1000;

export const FlowRunStatsQuerySchema = z
  .object({
    /** Start of the window (ISO-8601); runs are placed by when they were due to start. */
    since: TimestampSchema,
    /** End of the window (exclusive); default now. */
    until: TimestampSchema.optional(),
    /** Width of one bucket, in seconds (60 s to 31 days). */
    bucket_seconds: z.coerce.number().int().min(60).max(31 * 86_400).default(3600),
    flow_id: IdSchema.optional(),
    deployment_id: IdSchema.optional(),
    work_pool_name: z.string().optional(),
  })
  .strict();
export type FlowRunStatsQuery = z.input<typeof FlowRunStatsQuerySchema>;

const CountsSchema = z.object(Object.fromEntries(STATE_TYPES.map((t) => [t, z.number().int()])) as Record<(typeof STATE_TYPES)[number], z.ZodNumber>);

export const FlowRunStatsSchema = z.object({
  since: TimestampSchema,
  until: TimestampSchema,
  bucket_seconds: z.number().int(),
  /** Every bucket of the window, oldest first, empty ones included (a chart's x axis). */
  buckets: z.array(z.object({ start: TimestampSchema, counts: CountsSchema })),
  /** The window's runs by state type. */
  totals: CountsSchema,
  /** The state type each count is of, in chart order. */
  state_types: z.array(StateTypeSchema),
});
export type FlowRunStats = z.infer<typeof FlowRunStatsSchema>;
