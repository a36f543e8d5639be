import { invalidJobVariableValues, lockedJobVariables, undeclaredJobVariables, ValidationError, type FieldIssue, type JobVariables } from "@baton/core";
import { templateOf, type WorkPoolRow } from "./rows.js";

/** A deployment or a run set a variable only the pool's admin may set: a matter of authority, not of form. */
export class JobVariableLocked extends ValidationError {
  override readonly code = "JobVariableLocked";
  override readonly status = 403;
}

const joined = (issues: FieldIssue[]) => issues.map((i) => `${i.path}: ${i.message}`).join("; ");

/**
 * The job variables a deployment or a run sets, checked against its pool before anything is
 * written: declared names, nothing locked, values the variables schema accepts.
 */
export function assertJobVariablesAllowed(pool: WorkPoolRow, jobVariables: JobVariables, path: string): void {
  const template = templateOf(pool);
  const locked = lockedJobVariables(template, jobVariables, path, pool.name);
  if (locked.length > 0) throw new JobVariableLocked(`JobVariableLocked: ${joined(locked)}`, locked);
  const issues = [...undeclaredJobVariables(template, jobVariables, path), ...invalidJobVariableValues(template, jobVariables, path)];
  if (issues.length > 0) throw new ValidationError(`ValidationError: ${joined(issues)}`, issues);
}
