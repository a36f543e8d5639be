import { z } from "zod";
import { IdSchema, PageQuerySchema, TimestampSchema, pageOf } from "./common.js";
import { def } from "./route-def.js";

/**
 * Global concurrency and rate limits (issue 16 part 3): named limits the server holds for every
 * pod and replica. A limit named `tag:TAG` limits the task runs tagged TAG, across flow runs.
 */
export const ConcurrencyLimitNameSchema = z
  .string()
  .min(1)
  .max(140)
  .regex(/^(tag:)?[A-Za-z0-9][A-Za-z0-9_.-]*$/, "use letters, digits, '.', '-' and '_' (tag:NAME for a tag limit), starting with a letter or digit");

export const ConcurrencyLimitSchema = z.object({
  id: z.string(),
  name: z.string(),
  limit: z.number().int(),
  active: z.boolean(),
  /** Rate limits: slots taken by rateLimit() come back at this many per second (0: only when released). */
  slot_decay_per_second: z.number(),
  /** Slots held now: unexpired leases plus what rateLimit() took and has not yet decayed. */
  active_slots: z.number(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type ConcurrencyLimit = z.infer<typeof ConcurrencyLimitSchema>;

const LimitValue = z.number().int().min(0).max(1_000_000);
const DecayValue = z.number().min(0).max(1_000_000);

export const ConcurrencyLimitCreateSchema = z
  .object({ name: ConcurrencyLimitNameSchema, limit: LimitValue, slot_decay_per_second: DecayValue.default(0), active: z.boolean().default(true) })
  .strict();
export const ConcurrencyLimitUpdateSchema = z
  .object({ limit: LimitValue.optional(), slot_decay_per_second: DecayValue.optional(), active: z.boolean().optional() })
  .strict()
  .refine((b) => b.limit !== undefined || b.slot_decay_per_second !== undefined || b.active !== undefined, { message: "give limit, slot_decay_per_second or active", path: ["limit"] });
export const ConcurrencyLimitParamsSchema = z.object({ name: ConcurrencyLimitNameSchema });

/**
 * Take `slots` of every named limit at once, or none. `concurrency` holds them under a lease
 * until released (or until the lease ends without renewal: a crashed run's slots come back);
 * `rate_limit` takes them for good and lets them decay at the limit's slot_decay_per_second.
 */
export const ConcurrencyAcquireSchema = z
  .object({
    names: z.array(ConcurrencyLimitNameSchema).min(1).max(50),
    slots: z.number().int().min(1).max(1_000_000).default(1),
    mode: z.enum(["concurrency", "rate_limit"]).default("concurrency"),
    lease_seconds: z.number().min(1).max(86_400).default(60),
    /** Names without a limit are skipped rather than refused (tag limits: most tags have none). */
    ignore_missing: z.boolean().default(false),
    /** Who waits or holds: shown by `baton flow-run why`. */
    flow_run_id: IdSchema.optional(),
    task_run_id: IdSchema.optional(),
  })
  .strict();
export type ConcurrencyAcquire = z.input<typeof ConcurrencyAcquireSchema>;

export const ConcurrencyAcquireResultSchema = z.object({
  acquired: z.boolean(),
  /** Set when acquired in concurrency mode with at least one limit: renew it, release it. */
  lease_id: z.string().nullable(),
  expires: TimestampSchema.nullable(),
  /** Not acquired: the full limit, and when to ask again. */
  blocked_by: z.string().nullable(),
  retry_after_seconds: z.number().nullable(),
});
export type ConcurrencyAcquireResult = z.infer<typeof ConcurrencyAcquireResultSchema>;

export const ConcurrencyLeaseParamsSchema = z.object({ id: z.string().min(1).max(100) });
export const ConcurrencyLeaseRenewSchema = z.object({ lease_seconds: z.number().min(1).max(86_400).default(60) }).strict();
export const ConcurrencyLeaseSchema = z.object({ id: z.string(), expires: TimestampSchema });

export const concurrencyRoutes = {
  createConcurrencyLimit: def({ method: "POST", path: "/concurrency_limits", permission: "deploy", summary: "Create a global concurrency or rate limit", body: ConcurrencyLimitCreateSchema, status: 201, response: ConcurrencyLimitSchema }),
  listConcurrencyLimits: def({ method: "GET", path: "/concurrency_limits", permission: "read", summary: "List global concurrency limits", query: PageQuerySchema, status: 200, response: pageOf(ConcurrencyLimitSchema) }),
  readConcurrencyLimit: def({ method: "GET", path: "/concurrency_limits/:name", permission: "read", summary: "Read a concurrency limit with its slots in use", params: ConcurrencyLimitParamsSchema, status: 200, response: ConcurrencyLimitSchema }),
  updateConcurrencyLimit: def({ method: "PATCH", path: "/concurrency_limits/:name", permission: "deploy", summary: "Change a concurrency limit", params: ConcurrencyLimitParamsSchema, body: ConcurrencyLimitUpdateSchema, status: 200, response: ConcurrencyLimitSchema }),
  deleteConcurrencyLimit: def({ method: "DELETE", path: "/concurrency_limits/:name", permission: "deploy", summary: "Delete a concurrency limit and its leases", params: ConcurrencyLimitParamsSchema, status: 204, response: z.null() }),
  acquireConcurrencySlots: def({ method: "POST", path: "/concurrency_limits/acquire", permission: "work", summary: "Take slots of named limits, all or none", body: ConcurrencyAcquireSchema, status: 200, response: ConcurrencyAcquireResultSchema }),
  renewConcurrencyLease: def({ method: "POST", path: "/concurrency_leases/:id/renew", permission: "work", summary: "Keep a lease's slots", params: ConcurrencyLeaseParamsSchema, body: ConcurrencyLeaseRenewSchema, status: 200, response: ConcurrencyLeaseSchema }),
  releaseConcurrencyLease: def({ method: "DELETE", path: "/concurrency_leases/:id", permission: "work", summary: "Give a lease's slots back", params: ConcurrencyLeaseParamsSchema, status: 204, response: z.null() }),
} as const;
