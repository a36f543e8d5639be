import { UsageError } from "../errors.js";

/**
 * `--param k=v` values are JSON when they parse as JSON (`limit=2` is the number 2,
 * `flag=true` a boolean, `items=["a"]` an array), else plain text (`name=x` is "x").
 */
export function parseParamValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function parseParamFlag(flag: string, option = "--param"): [string, unknown] {
  const at = flag.indexOf("=");
  const key = at === -1 ? flag.trim() : flag.slice(0, at).trim();
  const what = option === "--param" ? "parameter" : "variable";
  if (key === "") throw new UsageError(`${option} "${flag}" names no ${what}; write ${option} name=value, e.g. ${option} limit=2`);
  if (at === -1) throw new UsageError(`${option} "${flag}" has no value; write ${option} ${key}=value, e.g. ${option} ${key}=2`);
  return [key, parseParamValue(flag.slice(at + 1))];
}

export function parseParamsJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params is not valid JSON (${(error as Error).message}); pass an object, e.g. --params '{"limit":2}'`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new UsageError(`--params must be a JSON object of parameter names to values, not ${got}; e.g. --params '{"limit":2}'`);
  }
  return value as Record<string, unknown>;
}

/** `--params` first, then each `--param` on top: the more specific flag wins. */
export function parseRunParameters(params: string[] = [], paramsJson?: string): Record<string, unknown> {
  const merged: Record<string, unknown> = paramsJson === undefined ? {} : { ...parseParamsJson(paramsJson) };
  for (const flag of params) {
    const [key, value] = parseParamFlag(flag);
    merged[key] = value;
  }
  return merged;
}
