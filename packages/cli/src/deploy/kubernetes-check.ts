import { placeholdersIn, renderJobConfiguration, variableReference, type FieldIssue, type WorkPool } from "@baton/core";

/**
 * For a deployment in a Kubernetes pool: the Job its runs would create, checked as the worker
 * checks it before sending it (the real Kubernetes schema, DNS-1123 names, label keys and values,
 * resource quantities), so a malformed memory_limit or label is refused at deploy time instead
 * of Crashing every run. Each problem is named at the job variable that put the bad value
 * there when one did (`deployments[0].work_pool.job_variables.memory_limit`).
 */
export async function checkKubernetesJob(
  pool: WorkPool,
  deployment: { flowName: string; name: string; jobVariables: Record<string, unknown> },
  path: string,
): Promise<FieldIssue[]> {
  if (pool.type !== "kubernetes") return [];
  let config: Record<string, unknown>;
  try {
    config = renderJobConfiguration(pool.base_job_template, deployment.jobVariables);
  } catch (error) {
    return [{ path: `${path}.job_variables`, message: `the pool's job template cannot be rendered with them: ${error instanceof Error ? error.message : String(error)}` }];
  }
  // Only now: the worker package (and the Kubernetes schema) is for deployments that need it.
  const { previewJobManifest } = await import("@baton/worker");
  const preview = previewJobManifest(config, { flowName: deployment.flowName, deploymentName: deployment.name, workPool: pool.name });
  // One problem per YAML path and message: a label lands on the Job and on its pod.
  const grouped = new Map<string, { path: string; message: string; where: string[]; hint: string }>();
  for (const issue of preview.issues) {
    const source = variableAt(pool.base_job_template.job_configuration, issue.path);
    const set = source !== undefined && source.name in deployment.jobVariables;
    const yamlPath = set ? `${path}.job_variables.${source.name}${source.rest}` : source ? `${path}.name` : `${path}.job_variables`;
    const hint = source && !set ? `, from work pool "${pool.name}"'s default for job variable ${source.name}; set ${source.name} in job_variables or fix the pool` : "";
    const key = `${yamlPath}\n${issue.message}`;
    const entry = grouped.get(key) ?? { path: yamlPath, message: issue.message, where: [], hint };
    entry.where.push(issue.path.replace(/^job_(manifest|configuration)\./, ""));
    grouped.set(key, entry);
  }
  return [...grouped.values()].map((g) => ({ path: g.path, message: `${g.message} (the Job's ${g.where.join(" and ")}${g.hint})` }));
}

/** `a.b[0].c` -> ["a", "b", 0, "c"]. */
function segments(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/**
 * The job variable whose placeholder stands at (or above) `path` in the template's
 * job_configuration, and the rest of the path below it (`.team` of `labels.team`).
 */
function variableAt(jobConfiguration: Record<string, unknown>, path: string): { name: string; rest: string } | undefined {
  const parts = segments(path.replace(/^job_configuration\./, ""));
  let node: unknown = jobConfiguration;
  for (let i = 0; i < parts.length; i++) {
    if (typeof node === "string") break;
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[parts[i]!];
    if (typeof node === "string") {
      const variable = placeholdersIn(node).map(variableReference).find((ref) => ref !== undefined);
      if (!variable) return undefined;
      const rest = [...variable.path, ...parts.slice(i + 1)].map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
      return { name: variable.name, rest };
    }
  }
  return undefined;
}
