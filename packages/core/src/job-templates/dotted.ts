import type { JobVariables } from "./schema.js";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `over` laid on `under`, objects merged key by key, `over` winning everywhere else. */
function mergeOver(under: unknown, over: unknown): unknown {
  if (!isRecord(under) || !isRecord(over)) return over;
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) out[key] = key in out ? mergeOver(out[key], value) : value;
  return out;
}

/**
 * Job variables as prefect.yaml and `--job-variable` let people write them: `env.FOO: bar` is
 * `env: { FOO: bar }`. Dotted keys are expanded first, then the nested form is laid over them,
 * so where both say something the nested form wins, as in Prefect. Keys are checked against the
 * pool's variables after this, so `env.FOO` is checked as `env`.
 */
export function expandDottedJobVariables(variables: JobVariables): JobVariables {
  const dotted = Object.keys(variables).filter((key) => key.includes("."));
  if (dotted.length === 0) return variables;
  let tree: Record<string, unknown> = {};
  for (const key of dotted) {
    const parts = key.split(".");
    if (parts.some((part) => part === "")) {
      tree = mergeOver(tree, { [key]: variables[key] }) as Record<string, unknown>; // "a..b" or ".a": not a path, kept as written
      continue;
    }
    const nested = parts.reduceRight<unknown>((value, part) => ({ [part]: value }), variables[key]);
    tree = mergeOver(tree, nested) as Record<string, unknown>;
  }
  const plain = Object.fromEntries(Object.entries(variables).filter(([key]) => !key.includes(".")));
  return mergeOver(tree, plain) as JobVariables;
}
