import { BaseJobTemplateSchema, checkBaseJobTemplate, type TemplateCheckResult } from "@baton/core";

/**
 * A base job template checked the way a pool update checks it (its shape, then its
 * placeholders), with the paths the update's 422 would name (`body.base_job_template...`),
 * so the pool page can show the same messages while the user types, before saving.
 */
export function checkTemplate(input: unknown): TemplateCheckResult {
  const prefix = (path: string) => (path ? `body.base_job_template.${path}` : "body.base_job_template");
  const parsed = BaseJobTemplateSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: prefix(issue.path.join(".")), message: issue.message }));
    return { valid: false, errors, warnings: [] };
  }
  const check = checkBaseJobTemplate(parsed.data);
  const errors = check.errors.map((i) => ({ path: prefix(i.path), message: i.message }));
  return { valid: errors.length === 0, errors, warnings: check.warnings.map((i) => ({ path: prefix(i.path), message: i.message })) };
}
