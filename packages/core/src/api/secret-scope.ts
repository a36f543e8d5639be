import { z } from "zod";

/**
 * Which runs may use a secret: those of a work pool matching one of `work_pools` AND of a
 * deployment (`flow/deployment`) matching one of `deployments`. Patterns use `*` for any run of
 * characters within a name (`prod-*`, `etl/*`, `*\/nightly`); `*` alone matches everything, a run
 * without a pool included. An empty list matches nothing: a secret set without a scope is usable
 * by no deployment until an admin scopes it (`baton secret set NAME --pool P`). Admins set it;
 * deployers can only see it.
 */
export interface SecretScope {
  work_pools: string[];
  deployments: string[];
}

export const ANY = "*";

const PoolPatternSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^(\*|[A-Za-z0-9*][A-Za-z0-9_.*-]*)$/, "use a work pool name, or a pattern with * (prod-*), or * for every pool");
const DeploymentPatternSchema = z
  .string()
  .min(1)
  .max(201)
  .regex(/^(\*|[A-Za-z0-9_.*-]+\/[A-Za-z0-9_.*-]+)$/, "use flow/deployment, a pattern with * (etl/*), or * for every deployment");

export const SecretScopeListsSchema = {
  work_pools: z.array(PoolPatternSchema).max(100),
  deployments: z.array(DeploymentPatternSchema).max(100),
};

function patternMatches(pattern: string, name: string | null): boolean {
  if (pattern === ANY) return true;
  if (name === null) return false;
  // Linear: a literal-or-[^/]* pattern anchored at both ends; no nested quantifier to backtrack on.
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*");
  return new RegExp(`^${source}$`).test(name);
}

/** Whether a run of `pool` (null: none) and `deployment` (`flow/name`) may use a secret of this scope. */
export function scopeAllows(scope: SecretScope, pool: string | null, deployment: string): boolean {
  return scope.work_pools.some((p) => patternMatches(p, pool)) && scope.deployments.some((d) => patternMatches(d, deployment));
}

/** `work pools [a, b], deployments [etl/*]`, or `nobody (no scope set)`. */
export function describeScope(scope: SecretScope): string {
  if (scope.work_pools.length === 0 || scope.deployments.length === 0) return "no deployment (its scope is empty)";
  return `work pools [${scope.work_pools.join(", ")}] and deployments [${scope.deployments.join(", ")}]`;
}
