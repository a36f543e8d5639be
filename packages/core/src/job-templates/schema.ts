import { z } from "zod";
import { checkTemplateStrings } from "../templating/limits.js";

/** A JSON Schema for one job variable (the subset Baton reads; other keywords are kept). */
export const VariableSchemaSchema = z
  .object({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    default: z.unknown().optional(),
    enum: z.array(z.unknown()).optional(),
    /** Only the pool sets it (see locks.ts); a boolean, so that "yes" or "true" never leaves it silently unlocked. */
    "x-baton-locked": z.boolean({ message: "must be true or false (true: only the pool's base job template sets this variable)" }).optional(),
  })
  .passthrough();

export const BaseJobTemplateSchema = z
  .object({
    /** The document a worker renders per flow run, with `{{ variable }}` placeholders. */
    job_configuration: z.record(z.string(), z.unknown()),
    /** JSON Schema of the variables: what a deployment may set in `job_variables`. */
    variables: z
      .object({
        type: z.literal("object").default("object"),
        properties: z.record(z.string(), VariableSchemaSchema).default({}),
        required: z.array(z.string()).optional(),
      })
      .passthrough(),
  })
  .strict();
export type BaseJobTemplate = z.infer<typeof BaseJobTemplateSchema>;
/** A template as a client sends it: its strings are bounded (see MAX_TEMPLATE_STRING_LENGTH). */
export const BaseJobTemplateInputSchema = BaseJobTemplateSchema.superRefine(checkTemplateStrings);
export type JobVariables = Record<string, unknown>;
