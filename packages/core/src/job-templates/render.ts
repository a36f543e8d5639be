import { valueAtPath, variableReference } from "../templating/placeholders.js";
import { MISSING, renderTemplate } from "../templating/render.js";
import type { BaseJobTemplate, JobVariables } from "./schema.js";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The defaults the pool's variables schema declares. */
export function defaultJobVariables(template: BaseJobTemplate): JobVariables {
  const out: JobVariables = {};
  for (const [name, schema] of Object.entries(template.variables.properties)) if ("default" in schema) out[name] = schema.default;
  return out;
}

/**
 * Layers of job variables, lowest first (pool defaults, deployment, flow run): `env` merges key
 * by key, so a run adding one variable keeps the deployment's; every other variable is replaced
 * by the highest layer that sets it.
 */
export function mergeJobVariables(...layers: (JobVariables | undefined)[]): JobVariables {
  const out: JobVariables = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (key === "env" && isRecord(value) && isRecord(out.env)) out.env = { ...out.env, ...value };
      else out[key] = value;
    }
  }
  return out;
}

/**
 * The job configuration for one run: pool defaults, then deployment, then run variables, put into
 * the template's placeholders. Secrets, variables and $ENV placeholders are left as written: they
 * are resolved at run time on the machine that runs the job, never stored resolved.
 */
export function renderJobConfiguration(template: BaseJobTemplate, ...layers: (JobVariables | undefined)[]): Record<string, unknown> {
  const values = mergeJobVariables(defaultJobVariables(template), ...layers);
  const rendered = renderTemplate(template.job_configuration, (p) => {
    const ref = variableReference(p);
    if (!ref) return undefined;
    const v = valueAtPath(values[ref.name], ref.path);
    return v === undefined || v === null ? MISSING : v;
  }) as Record<string, unknown>;
  // The template's own env (literal keys) and the variables' env merge key by key too.
  if (isRecord(template.job_configuration.env) && isRecord(rendered.env) && isRecord(values.env)) {
    rendered.env = { ...rendered.env, ...values.env };
  }
  return rendered;
}
