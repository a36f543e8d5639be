import type { BaseJobTemplate } from "../api/types";
import { localInputToIso } from "./time";

export interface RunOptionsCheck {
  /** What goes into the create-run body besides parameters, name and tags. */
  body: { scheduled_time?: string; job_variables?: Record<string, unknown> };
  errors: Partial<Record<"scheduled_time" | "job_variables", string>>;
}

const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  array: Array.isArray,
  null: (v) => v === null,
};

/**
 * "Run later" and the job-variable override of the run form, checked as typed. Job variables are
 * a JSON object; with the pool's template at hand, each key must be one of its variables (the
 * server refuses others) and of the declared type. Empty fields send nothing: now, the
 * deployment's own job variables.
 */
export function checkRunOptions(when: string, jobVariables: string, template: BaseJobTemplate | undefined, zone?: string): RunOptionsCheck {
  const body: RunOptionsCheck["body"] = {};
  const errors: RunOptionsCheck["errors"] = {};
  if (when) {
    const iso = localInputToIso(when, zone);
    if (iso) body.scheduled_time = iso;
    else errors.scheduled_time = "not a date and time: pick one, or leave it empty to run now";
  }
  if (jobVariables.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(jobVariables);
    } catch (e) {
      errors.job_variables = `not valid JSON (${e instanceof Error ? e.message : String(e)})`;
      return { body, errors };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      errors.job_variables = 'must be a JSON object: {"variable": value}';
      return { body, errors };
    }
    const problem = template && templateProblem(parsed as Record<string, unknown>, template);
    if (problem) errors.job_variables = problem;
    else body.job_variables = parsed as Record<string, unknown>;
  }
  return { body, errors };
}

function templateProblem(values: Record<string, unknown>, template: BaseJobTemplate): string | undefined {
  const properties = template.variables.properties as Record<string, { type?: string | string[] }>;
  const declared = Object.keys(properties);
  for (const [key, value] of Object.entries(values)) {
    // `env.FOO` sets one key of the `env` variable, as the API reads it.
    const name = key.split(".")[0]!;
    const schema = properties[name];
    if (!schema) return `"${name}" is not a variable of this work pool's job template; declared variables: ${declared.join(", ") || "(none)"}`;
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (name === key && types.length > 0 && !types.some((t) => JSON_TYPES[t]?.(value) ?? true)) return `"${key}" must be ${types.join(" or ")}`;
  }
  return undefined;
}
