import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FieldIssue } from "../errors.js";
import { InvalidPlaceholder, placeholdersIn } from "../templating/placeholders.js";
import { lockedJobVariables } from "./locks.js";
import type { BaseJobTemplate, JobVariables } from "./schema.js";
import { undeclaredJobVariables } from "./validate.js";

// Base job templates are draft-07-shaped (Prefect's use `definitions` and `allOf: [{ $ref }]`);
// unknown keywords (`x-baton-locked`, Prefect's own) and formats must not make a schema unusable.
// addUsedSchema off: two pools whose schemas share an `$id` must not collide in one ajv.
const ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false, addUsedSchema: false });
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 200;

/** A pool's variables schema as a validator of the variables a layer sets (none is required there: a lower layer may set it). */
function validatorFor(template: BaseJobTemplate): ValidateFunction {
  const { required: _required, additionalProperties: _extra, ...schema } = template.variables as Record<string, unknown>;
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}

/** Why a pool's variables schema cannot check values, or undefined when it can: pool writes are refused with it. */
export function variablesSchemaProblem(template: BaseJobTemplate): string | undefined {
  try {
    validatorFor(template);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const valueAt = (document: unknown, pointer: string): unknown =>
  pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), document);

/** `{{ baton.secrets.X }}`, `{{ baton.variables.X }}` and `{{ $X }}` are only known at run time: the worker checks what they become. */
function resolvedAtRunTime(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return placeholdersIn(value).some((p) => p.kind === "secret" || p.kind === "baton-variable" || p.kind === "env");
  } catch (error) {
    if (error instanceof InvalidPlaceholder) return false;
    throw error;
  }
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `must be of type ${String(p.type)}`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `must match the pattern ${String(p.pattern)}`;
    default:
      return error.message ?? `fails the "${error.keyword}" rule of its schema`;
  }
}

/** Values that break the pool's variables schema (types, enums, patterns, bounds), each named by its path. */
export function invalidJobVariableValues(template: BaseJobTemplate, jobVariables: JobVariables, path = "job_variables"): FieldIssue[] {
  // null unsets a variable (the pool's default or nothing applies): no value to check.
  const set = Object.fromEntries(Object.entries(jobVariables).filter(([, v]) => v !== null));
  let validate: ValidateFunction;
  try {
    validate = validatorFor(template);
  } catch (error) {
    return [{ path, message: `the work pool's variables schema cannot check values (${(error as Error).message}); an admin fixes it with baton work-pool update POOL --base-job-template FILE` }];
  }
  if (validate(set)) return [];
  const issues = new Map<string, FieldIssue>();
  for (const error of validate.errors ?? []) {
    // Undeclared variables have their own message (undeclaredJobVariables).
    if (error.keyword === "additionalProperties" && error.instancePath === "") continue;
    if (resolvedAtRunTime(valueAt(set, error.instancePath))) continue;
    // allOf/anyOf wrappers repeat what their branches said.
    if (["allOf", "anyOf", "oneOf", "if"].includes(error.keyword)) continue;
    const parts = error.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const where = parts.reduce((out, k) => (/^\d+$/.test(k) ? `${out}[${k}]` : `${out}.${k}`), path);
    const name = parts[0] ?? "";
    const schema = template.variables.properties[name];
    const hint = schema?.description ? ` (${name}${schema.title ? `, ${schema.title}` : ""}: ${schema.description})` : "";
    const key = `${where}|${error.keyword}`;
    if (!issues.has(key)) issues.set(key, { path: where, message: `${JSON.stringify(valueAt(set, error.instancePath))} ${describe(error)}; fix the value${hint}` });
  }
  return [...issues.values()];
}

/**
 * Everything wrong with the job variables a deployment or a run sets, on deploy and on run:
 * names the pool does not declare, variables only the pool may set, values its schema refuses.
 */
export function jobVariableIssues(template: BaseJobTemplate, jobVariables: JobVariables, path = "job_variables", poolName?: string): FieldIssue[] {
  return [...undeclaredJobVariables(template, jobVariables, path), ...lockedJobVariables(template, jobVariables, path, poolName), ...invalidJobVariableValues(template, jobVariables, path)];
}
