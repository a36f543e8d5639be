import { z } from "zod";

export const STATE_TYPES = [
  "SCHEDULED",
  "PENDING",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CRASHED",
  "CANCELLING",
  "CANCELLED",
  "PAUSED",
] as const;
export const StateTypeSchema = z.enum(STATE_TYPES);
export type StateType = z.infer<typeof StateTypeSchema>;

/** States a run never leaves on its own; only an explicit retry moves it on. */
export const TERMINAL_STATE_TYPES: ReadonlySet<StateType> = new Set(["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]);
export const isTerminal = (type: StateType): boolean => TERMINAL_STATE_TYPES.has(type);

/** The name a state has when none is given: the type in title case ("RUNNING" -> "Running"). */
export function defaultStateName(type: StateType): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

/** Display names with a meaning of their own, beside the defaults. */
export const STATE_NAMES = {
  late: "Late",
  awaitingRetry: "AwaitingRetry",
  retrying: "Retrying",
  cached: "Cached",
  timedOut: "TimedOut",
} as const;

export const SerializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  /** Stack with TypeScript file names and lines (source-mapped), when known. */
  stack: z.string().optional(),
});
export type SerializedError = z.infer<typeof SerializedErrorSchema>;

export const StateDetailsSchema = z
  .object({
    /** For SCHEDULED states: when the run is due. */
    scheduled_time: z.string().datetime({ offset: true }).optional(),
    cache_key: z.string().optional(),
    cache_expiration: z.string().datetime({ offset: true }).optional(),
    /** Set on a state the server made in place of the proposed one. */
    replaced_proposed: StateTypeSchema.optional(),
  })
  .strict();
export type StateDetails = z.infer<typeof StateDetailsSchema>;

/** What a client proposes. The server stamps `id` and `timestamp` unless they are given. */
export const StateCreateSchema = z
  .object({
    type: StateTypeSchema,
    name: z.string().min(1).max(64).optional(),
    message: z.string().max(20_000).optional(),
    timestamp: z.string().datetime({ offset: true }).optional(),
    state_details: StateDetailsSchema.optional(),
    /** Result (JSON) on COMPLETED; on FAILED or CRASHED, `{ error }`. */
    data: z
      .object({ result: z.unknown().optional(), error: SerializedErrorSchema.optional() })
      .strict()
      .optional(),
  })
  .strict();
export type StateCreate = z.infer<typeof StateCreateSchema>;

export const StateSchema = z.object({
  id: z.string(),
  type: StateTypeSchema,
  name: z.string(),
  message: z.string().nullable(),
  timestamp: z.string(),
  state_details: StateDetailsSchema,
  data: z.object({ result: z.unknown().optional(), error: SerializedErrorSchema.optional() }).nullable(),
});
export type State = z.infer<typeof StateSchema>;
