import type { FieldIssue } from "@baton/core";
import { BatonError } from "@baton/core/runtime";
import { VariableNotFound } from "../errors/values.js";
import { issuePath } from "../definition/parameters.js";
import type { InferOutput, StandardSchemaV1 } from "../definition/standard-schema.js";
import { apiErrorStatus, valuesClient } from "./run-client.js";

/** A variable's value that the schema given to getVariable refuses: which variable, where, and why. */
export class VariableInvalid extends BatonError {
  override readonly code = "VariableInvalid";
  override readonly status = 400;
  constructor(
    message: string,
    readonly issues: FieldIssue[],
  ) {
    super(message);
  }
}

export interface GetVariableOptions<T> {
  /** Returned when the variable does not exist (not checked against the schema). Without it, a missing variable throws VariableNotFound. */
  default?: T;
}

/**
 * The value of server variable `name` (any JSON), read with the run's credential inside a run.
 * With a schema (zod, valibot, arktype...), the value is checked and typed by it: a value the
 * schema refuses throws VariableInvalid naming the variable and the field.
 *
 * ```ts
 * const rows = await getVariable("batch-size", z.number().int().positive());
 * ```
 */
export async function getVariable<S extends StandardSchemaV1>(name: string, schema: S, options?: GetVariableOptions<InferOutput<S>>): Promise<InferOutput<S>>;
export async function getVariable<T = unknown>(name: string, schema?: undefined, options?: GetVariableOptions<T>): Promise<T>;
export async function getVariable(name: string, schema?: StandardSchemaV1, options: GetVariableOptions<unknown> = {}): Promise<unknown> {
  const client = await valuesClient();
  let value: unknown;
  try {
    value = (await client.call("readVariable", { params: { name } })).value;
  } catch (error) {
    if (apiErrorStatus(error) === 404) {
      if ("default" in options) return options.default;
      throw new VariableNotFound(`VariableNotFound: getVariable("${name}"): there is no variable "${name}"; create it with baton variable set ${name} VALUE, or pass { default }`);
    }
    throw error;
  }
  if (!schema) return value;
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return result.value;
  const issues = result.issues.map((i) => ({ path: issuePath(i, `variable ${name}`), message: i.message }));
  throw new VariableInvalid(
    `VariableInvalid: getVariable("${name}"): ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}; fix the value with baton variable set ${name} VALUE --overwrite, or the schema`,
    issues,
  );
}
