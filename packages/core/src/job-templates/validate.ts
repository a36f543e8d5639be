import type { FieldIssue } from "../errors.js";
import { InvalidPlaceholder, findPlaceholders, variableReference } from "../templating/placeholders.js";
import type { BaseJobTemplate, JobVariables } from "./schema.js";

export interface TemplateCheck {
  /** Mistakes that make the template unusable: a placeholder naming no variable, a malformed one. */
  errors: FieldIssue[];
  /** Declared variables the job configuration never uses: setting them would silently do nothing. */
  warnings: FieldIssue[];
}

/**
 * What the tool users come from does not check: a variable nobody uses, a placeholder naming
 * a variable nobody declared. Both are caught here, when a pool is created or updated.
 */
export function checkBaseJobTemplate(template: BaseJobTemplate): TemplateCheck {
  const declared = Object.keys(template.variables.properties);
  const used = new Set<string>();
  const errors: FieldIssue[] = [];
  let found;
  try {
    found = findPlaceholders(template.job_configuration, "job_configuration");
  } catch (error) {
    if (error instanceof InvalidPlaceholder) return { errors: [{ path: "job_configuration", message: error.message }], warnings: [] };
    throw error;
  }
  for (const { path, placeholder } of found) {
    const ref = variableReference(placeholder);
    if (!ref) continue;
    used.add(ref.name);
    if (!declared.includes(ref.name)) {
      errors.push({
        path,
        message: `{{ ${placeholder.raw} }} names no variable "${ref.name}"; declare it under variables.properties or use one of: ${declared.join(", ") || "(none declared)"}`,
      });
    }
  }
  const warnings = declared
    .filter((name) => !used.has(name))
    .map((name) => ({
      path: `variables.properties.${name}`,
      message: `variable "${name}" is declared but job_configuration never uses it: setting it in job_variables would change nothing; use {{ ${name} }} somewhere or remove it`,
    }));
  return { errors, warnings };
}

/** Job variables a deployment or a run sets that the pool's schema does not declare. */
export function undeclaredJobVariables(template: BaseJobTemplate, jobVariables: JobVariables, path = "job_variables"): FieldIssue[] {
  const declared = Object.keys(template.variables.properties);
  return Object.keys(jobVariables)
    .filter((k) => !declared.includes(k))
    .map((k) => ({
      path: `${path}.${k}`,
      message: `"${k}" is not a variable of this work pool's job template; declared variables: ${declared.join(", ") || "(none)"}`,
    }));
}
