import { ParameterValidationError, type FieldIssue } from "@baton/core";
import { Ajv, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;
// Flow schemas carry formats (date-time, email, uri...): checked, and unknown keywords are not fatal.
const ajv = addFormats(new Ajv({ allErrors: true, strict: false, logger: false }));
/** Compiled validators by schema text: a deployment's schema is compiled once, not per run. */
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}

/** Check a run's parameters against the flow's JSON Schema; every problem names its parameter. */
export function checkParameters(schema: Record<string, unknown>, parameters: Record<string, unknown>, path = "body.parameters"): void {
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (error) {
    // A schema the flow produced but ajv cannot compile should not make the deployment unusable.
    return void error;
  }
  if (validate(parameters)) return;
  const issues: FieldIssue[] = (validate.errors ?? []).map((e) => {
    const missing = e.keyword === "required" ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
    const extra = e.keyword === "additionalProperties" ? String((e.params as { additionalProperty?: string }).additionalProperty) : undefined;
    const parts = e.instancePath.split("/").filter(Boolean).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const name = missing ?? extra;
    const where = [path, ...parts, ...(name ? [name] : [])].join(".");
    const message = missing
      ? `parameter "${missing}" is required`
      : extra
        ? `"${extra}" is not a parameter of this flow`
        : `${e.message ?? "is not valid"}${e.keyword === "enum" ? `: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : ""}`;
    return { path: where, message };
  });
  throw new ParameterValidationError(`ParameterValidationError: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
}
