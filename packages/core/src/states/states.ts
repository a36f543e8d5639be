import { z } from "zod";
import { STATE_TYPES, type StateType } from "./names.js";
export * from "./names.js";

export const StateTypeSchema = z.enum(STATE_TYPES);

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
    /** For PAUSED states: when the run fails unless resumed (pauseFlowRun's timeout). */
    pause_timeout: z.string().datetime({ offset: true }).optional(),
    /** For PAUSED states waiting for input: the JSON Schema the resume's input must match. */
    input_schema: z.record(z.string(), z.unknown()).optional(),
    /**
     * For PAUSED states of suspendFlowRun: the run's process has exited, and a resume schedules the
     * run again (a worker starts it in a new process) instead of waking a waiting process.
     */
    pause_reschedule: z.boolean().optional(),
    /** For a suspension: which suspendFlowRun call it is, so the run's next process knows it was resumed there. */
    pause_key: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '.', '-' and '_'")
      .optional(),
  })
  .strict();
export type StateDetails = z.infer<typeof StateDetailsSchema>;

/**
 * The code a deployment run pulled: recorded on its Running state, since a branch moves between
 * the deploy and the run (and between two runs), and "which commit ran" is the first question
 * after a failure.
 */
export const PulledSourceSchema = z
  .object({
    repository: z.string().min(1).max(2048),
    branch: z.string().min(1).max(255).optional(),
    commit: z.string().regex(/^[0-9a-f]{7,64}$/, "a git commit hash (hex)"),
  })
  .strict();
export type PulledSource = z.infer<typeof PulledSourceSchema>;

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
      .object({ result: z.unknown().optional(), error: SerializedErrorSchema.optional(), source: PulledSourceSchema.optional() })
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
  data: z.object({ result: z.unknown().optional(), error: SerializedErrorSchema.optional(), source: PulledSourceSchema.optional() }).nullable(),
});
export type State = z.infer<typeof StateSchema>;
