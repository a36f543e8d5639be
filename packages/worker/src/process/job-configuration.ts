import { BatonError, MISSING, renderTemplate, type Placeholder } from "@baton/core";
import { z } from "zod";
import type { LaunchContext } from "../infrastructure.js";

export class InvalidJobConfiguration extends BatonError {
  override readonly code = "InvalidJobConfiguration";
  override readonly status = 400;
}

/** What the process infrastructure reads from a rendered job configuration. */
export const ProcessJobConfigurationSchema = z.object({
  command: z.string().min(1).default("baton flow-run execute"),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  working_dir: z.string().min(1).optional(),
  stream_output: z.boolean().default(true),
  name: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
});
export type ProcessJobConfiguration = z.infer<typeof ProcessJobConfigurationSchema>;

/**
 * Secrets, variables and `$ENV` references left in a job configuration are resolved here, on
 * the machine that starts the run, never on the server.
 */
export async function resolveRuntimeReferences(config: Record<string, unknown>, context: LaunchContext): Promise<{ config: Record<string, unknown>; secretValues: string[] }> {
  const wanted: Placeholder[] = [];
  renderTemplate(config, (p) => {
    wanted.push(p);
    return undefined;
  });
  const values = new Map<string, unknown>();
  const secretValues: string[] = [];
  for (const p of wanted) {
    if (values.has(p.raw)) continue;
    if (p.kind === "secret") {
      const value = await context.resolveSecret(p.name);
      secretValues.push(value);
      values.set(p.raw, value);
    }
    else if (p.kind === "baton-variable") values.set(p.raw, await context.resolveVariable(p.name));
  }
  const rendered = renderTemplate(config, (p) => {
    if (p.kind === "secret" || p.kind === "baton-variable") return values.get(p.raw);
    if (p.kind === "env") return process.env[p.name] ?? MISSING;
    return undefined;
  }) as Record<string, unknown>;
  return { config: rendered, secretValues };
}

export function parseProcessJobConfiguration(config: Record<string, unknown>): ProcessJobConfiguration {
  const parsed = ProcessJobConfigurationSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidJobConfiguration(
      `InvalidJobConfiguration: the process job configuration's ${issue?.path.join(".") || "value"} ${issue?.message ?? "is invalid"}; fix the pool's base job template or the deployment's job_variables`,
    );
  }
  return parsed.data;
}
