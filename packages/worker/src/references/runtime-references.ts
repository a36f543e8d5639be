import { findPlaceholders, MISSING, renderTemplate } from "@baton/core/runtime";
import { EnvAllowList } from "./env-allow-list.js";
import { refuseSecretsOutsideEnv } from "./secret-placement.js";

const NOTHING_ALLOWED = new EnvAllowList();

/** What resolving a run's references needs of its launch context (infrastructure.ts's LaunchContext has it). */
export interface ReferenceSources {
  resolveSecret(name: string): Promise<string>;
  resolveVariable(name: string): Promise<unknown>;
  /** Which of this host's environment variables `{{ $NAME }}` may read; none when absent. */
  allowedEnv?: EnvAllowList;
}

/**
 * Secrets, variables and `$ENV` references left in a job configuration are resolved here, on
 * the machine that starts the run, never on the server. Before anything is read: a secret
 * outside `env` is refused, and so is a `$NAME` the worker's admin did not allow.
 */
export async function resolveRuntimeReferences(config: Record<string, unknown>, context: ReferenceSources): Promise<{ config: Record<string, unknown>; secretValues: string[] }> {
  refuseSecretsOutsideEnv(config);
  const allowList = context.allowedEnv ?? NOTHING_ALLOWED;
  const found = findPlaceholders(config);
  for (const { path, placeholder } of found) {
    if (placeholder.kind === "env" && !allowList.allows(placeholder.name)) throw allowList.refusal(placeholder.name, path);
  }
  const values = new Map<string, unknown>();
  const secretValues: string[] = [];
  for (const { placeholder: p } of found) {
    if (values.has(p.raw)) continue;
    if (p.kind === "secret") {
      const value = await context.resolveSecret(p.name);
      secretValues.push(value);
      values.set(p.raw, value);
    } else if (p.kind === "baton-variable") values.set(p.raw, await context.resolveVariable(p.name));
  }
  const rendered = renderTemplate(config, (p) => {
    if (p.kind === "secret" || p.kind === "baton-variable") return values.get(p.raw);
    if (p.kind === "env") return process.env[p.name] ?? MISSING;
    return undefined;
  }) as Record<string, unknown>;
  return { config: rendered, secretValues };
}
