import type { FieldIssue } from "@baton/core";
import { ParameterValidationError, unknownParameterIssues } from "@baton/core/runtime";
import { parameterJsonSchema } from "./json-schema.js";
import type { StandardIssue, StandardSchemaV1 } from "./standard-schema.js";

/** Where a schema issue is, under `root`: `parameters.limit`, `variable.rows[2]`. */
export function issuePath(issue: StandardIssue, root = "parameters"): string {
  const parts = (issue.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p));
  let path = root;
  for (const part of parts) path += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return path;
}

/**
 * The parameters a flow function receives: checked against the flow's schema, with its
 * defaults filled in. Runs before anything is created, so a bad value leaves no trace.
 */
export async function validateParameters(
  flowName: string,
  schema: StandardSchemaV1 | undefined,
  input: unknown,
): Promise<Record<string, unknown>> {
  if (!schema) {
    if (input === undefined || input === null) return {};
    if (typeof input !== "object" || Array.isArray(input)) {
      throw new ParameterValidationError(
        `ParameterValidationError: flow "${flowName}" takes its parameters as one object such as { limit: 2 }, got ${Array.isArray(input) ? "an array" : typeof input}`,
        [{ path: "parameters", message: "must be an object" }],
      );
    }
    return input as Record<string, unknown>;
  }
  // A plain z.object would drop a mistyped key and run with the default instead.
  const json = parameterJsonSchema(schema);
  const unknown = json ? unknownParameterIssues(json, input ?? {}) : [];
  if (unknown.length > 0) {
    throw new ParameterValidationError(
      `ParameterValidationError: invalid parameters for flow "${flowName}": ${unknown.map((i) => `${i.path}: ${i.message}`).join("; ")} ` +
        `(a flow whose schema is z.looseObject or .passthrough() takes extra keys)`,
      unknown,
    );
  }
  const result = await schema["~standard"].validate(input ?? {});
  if (result.issues) {
    const issues: FieldIssue[] = result.issues.map((i) => ({ path: issuePath(i), message: i.message }));
    const listed = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new ParameterValidationError(
      `ParameterValidationError: invalid parameters for flow "${flowName}": ${listed}; fix the value (or leave it out to use its default)`,
      issues,
    );
  }
  const value = result.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ParameterValidationError(
      `ParameterValidationError: the parameter schema of flow "${flowName}" must describe an object (z.object({...})) so each parameter has a name`,
      [{ path: "parameters", message: "schema output is not an object" }],
    );
  }
  return value as Record<string, unknown>;
}
