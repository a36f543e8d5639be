import { ParameterValidationError, ValidationError, type FieldIssue } from "@baton/core";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;
// Flow schemas carry formats (date-time, email, uri...): checked, and unknown keywords are not fatal.
// addUsedSchema: false: each schema is compiled on its own, never entered in the instance's registry
// by its $id, so a changed schema that keeps its $id (as zod and typebox write it) deploys again
// instead of failing with "already exists" until the server restarts.
// verbose: an unknown parameter's error carries its object's schema, so the answer can list the known ones.
const options = { allErrors: true, strict: false, logger: false, addUsedSchema: false, verbose: true } as const;
// zod 4 and most current tools write draft 2020-12; older ones draft-07. Each needs its own ajv.
const ajv2020 = addFormats(new Ajv2020(options) as unknown as Ajv);
const ajvDraft7 = addFormats(new Ajv(options));
const ajvFor = (schema: Record<string, unknown>): Ajv =>
  typeof schema.$schema === "string" && !/draft-0[4-7]/.test(schema.$schema) ? ajv2020 : ajvDraft7;
/** Compiled validators by schema text: a deployment's schema is compiled once, not per run. */
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    const ajv = ajvFor(schema);
    try {
      validate = ajv.compile(schema);
    } finally {
      // The compiled function stands alone; ajv's own cache would keep every schema object forever.
      ajv.removeSchema(schema);
    }
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}

/** Refuse, at deploy time, a parameter schema that could not check a run's parameters later. */
export function assertParameterSchemaUsable(schema: Record<string, unknown>): void {
  try {
    validatorFor(schema);
  } catch (error) {
    throw new ValidationError(`ValidationError: body.parameter_schema: not a usable JSON Schema (${(error as Error).message})`, [
      { path: "body.parameter_schema", message: `not a usable JSON Schema: ${(error as Error).message}` },
    ]);
  }
}

const knownNames = (schema: unknown): string => {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  const names = properties && typeof properties === "object" ? Object.keys(properties) : [];
  return names.length > 0 ? `; the parameters are ${names.join(", ")}` : "";
};

/** Every way `parameters` breaks the flow's JSON Schema, each named under `path`. */
function parameterIssues(schema: Record<string, unknown>, parameters: Record<string, unknown>, path: string): FieldIssue[] {
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (error) {
    // Never skip the check silently: a run would start with parameters nobody checked.
    throw new ValidationError(
      `ParameterSchemaInvalid: the deployment's parameter schema cannot be used to check parameters (${(error as Error).message}); ` +
        `redeploy with a schema that is valid JSON Schema, or set enforce_parameter_schema: false`,
      [{ path: "parameter_schema", message: (error as Error).message }],
    );
  }
  if (validate(parameters)) return [];
  return (validate.errors ?? []).map((e) => {
    const missing = e.keyword === "required" ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
    const extra = e.keyword === "additionalProperties" ? String((e.params as { additionalProperty?: string }).additionalProperty) : undefined;
    const parts = e.instancePath.split("/").filter(Boolean).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const name = missing ?? extra;
    const where = [path, ...parts, ...(name ? [name] : [])].join(".");
    const message = missing
      ? `parameter "${missing}" is required`
      : extra
        ? `"${extra}" is not a parameter of this flow${knownNames(e.parentSchema)}`
        : `${e.message ?? "is not valid"}${e.keyword === "enum" ? `: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : ""}`;
    return { path: where, message };
  });
}

const refuse = (issues: FieldIssue[], hint = ""): never => {
  throw new ParameterValidationError(`ParameterValidationError: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}${hint}`, issues);
};

/** Check a run's parameters against the flow's JSON Schema; every problem names its parameter. */
export function checkParameters(schema: Record<string, unknown>, parameters: Record<string, unknown>, path = "body.parameters"): void {
  const issues = parameterIssues(schema, parameters, path);
  if (issues.length > 0) refuse(issues);
}

/** What decides whether a deployment's schedules are checked, and what their runs start from. */
export type ScheduleCheckBasis = { enforce: boolean; schema: Record<string, unknown> | null; parameters: Record<string, unknown> };

/**
 * A schedule's runs take the deployment's parameters with the schedule's own over them: checked
 * when a schedule is written (one by itself or a whole deploy), as a run's are, or every run it
 * made would fail. Every schedule's problems at once, each under the schedule's own path.
 */
export function checkScheduleParameters(basis: ScheduleCheckBasis, schedules: { parameters: Record<string, unknown>; path: string }[]): void {
  const { schema } = basis;
  if (!basis.enforce || !schema) return;
  const issues = schedules.flatMap((s) => parameterIssues(schema, { ...basis.parameters, ...s.parameters }, s.path));
  if (issues.length > 0) {
    refuse(issues, "; change the schedule's parameters to fit the flow's parameter schema, or deploy with enforce_parameter_schema: false");
  }
}
