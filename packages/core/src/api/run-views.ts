import { z } from "zod";
import { checkTemplateStrings } from "../templating/limits.js";

const IssueSchema = z.object({ path: z.string(), message: z.string() });

/**
 * A deployment's (or a run's) job configuration as its worker would get it: the pool's base job
 * template rendered with pool defaults < deployment < run job variables. Secrets, variables and
 * $ENV stay as their `{{ baton.secrets.NAME }}` references: they are resolved only at launch, on
 * the worker's machine, so no value ever appears here.
 */
export const JobConfigurationViewSchema = z.object({
  work_pool_name: z.string().nullable(),
  work_pool_type: z.string().nullable(),
  /** Null when there is nothing to render (no pool, or the pool is gone); `issues` says why. */
  job_configuration: z.record(z.string(), z.unknown()).nullable(),
  /** Why it could not be rendered, or job variables the pool does not declare. */
  issues: z.array(IssueSchema),
});
export type JobConfigurationView = z.infer<typeof JobConfigurationViewSchema>;

export const TemplateCheckBodySchema = z.object({ base_job_template: z.unknown().superRefine(checkTemplateStrings) }).strict();

/** A base job template checked as the pool update would check it, without saving it. */
export const TemplateCheckResultSchema = z.object({
  /** True when `errors` is empty: updateWorkPool would accept this template. */
  valid: z.boolean(),
  /** Mistakes that make the update fail (422), each with its path in the template. */
  errors: z.array(IssueSchema),
  /** Allowed but probably wrong: declared variables the configuration never uses. */
  warnings: z.array(IssueSchema),
});
export type TemplateCheckResult = z.infer<typeof TemplateCheckResultSchema>;
