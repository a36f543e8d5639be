import { z } from "zod";
import { StateSchema } from "./states.js";

/**
 * What the server says to a proposed transition (the four answers of Prefect's orchestration):
 * ACCEPT: the state is now the run's state.
 * REJECT: the run keeps (or is given) `state`, which is not the one proposed; go on from it.
 * WAIT: try again after `details.delay_seconds` (a run proposed RUNNING before it is due).
 * ABORT: stop; this client must not run it (another worker already does, or it is finished).
 */
export const SetStateStatusSchema = z.enum(["ACCEPT", "REJECT", "WAIT", "ABORT"]);
export type SetStateStatus = z.infer<typeof SetStateStatusSchema>;

export const OrchestrationResultSchema = z.object({
  status: SetStateStatusSchema,
  /** The run's state after the call. */
  state: StateSchema,
  details: z.object({
    reason: z.string().optional(),
    delay_seconds: z.number().optional(),
  }),
});
export type OrchestrationResult = z.infer<typeof OrchestrationResultSchema>;
