import { z } from "zod";
import { IdSchema, PageQuerySchema, ResourceNameSchema, TimestampSchema, pageOf } from "./common.js";
import { def } from "./route-def.js";

/**
 * Past events, for a page that opens on what already happened before it follows the live stream
 * (`GET /api/events`). Only flow-run state changes have a history (every state is stored); a
 * worker keeps only its last heartbeat (`GET /api/work_pools/:name/workers`), so heartbeats are
 * live only and `types=worker` is refused rather than answered with nothing.
 */
export const HISTORY_EVENT_TYPES = ["flow_run"] as const;

export const EventHistoryQuerySchema = PageQuerySchema.extend({
  /** As the live stream's `types`; only `flow_run` has a history. */
  types: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const wanted = (value ?? "flow_run").split(",").map((s) => s.trim()).filter(Boolean);
      if (wanted.includes("worker")) {
        ctx.addIssue({ code: "custom", message: "worker heartbeats have no history (a worker keeps only its last, GET /api/work_pools/:name/workers); ask for types=flow_run, or follow GET /api/events for heartbeats" });
      }
      const unknown = wanted.filter((t) => t !== "worker" && !(HISTORY_EVENT_TYPES as readonly string[]).includes(t));
      if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `no history of ${unknown.join(", ")}; use types=flow_run` });
    }),
  /** State changes at or after this time (ISO-8601)... */
  since: TimestampSchema.optional(),
  /** ...and before it (exclusive). */
  until: TimestampSchema.optional(),
  flow_run_id: IdSchema.optional(),
  flow_id: IdSchema.optional(),
  deployment_id: IdSchema.optional(),
  work_pool_name: ResourceNameSchema.optional(),
})
  .strict()
  .refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), { message: "must be after since", path: ["until"] });
export type EventHistoryQuery = z.input<typeof EventHistoryQuerySchema>;

/** A `flow_run` event as the live stream sends it (core's api/events.ts), from the stored history. */
export const FlowRunEventSchema = z.object({
  id: IdSchema,
  state_type: z.string(),
  state_name: z.string(),
  flow_id: z.string(),
  flow_name: z.string(),
  deployment_name: z.string().nullable(),
  deployment_id: z.string().nullable(),
  work_pool_name: z.string().nullable(),
  timestamp: z.string(),
  /** The state's own id: the same state seen in the history and on the stream has one id. */
  state_id: z.string(),
});

export const eventHistoryRoutes = {
  listEventHistory: def({
    method: "GET",
    path: "/events/history",
    permission: "read",
    summary: "Past flow-run state changes across runs, newest first (the live stream's flow_run events, from the stored state history)",
    query: EventHistoryQuerySchema,
    status: 200,
    response: pageOf(FlowRunEventSchema),
  }),
} as const;
