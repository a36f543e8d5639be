import { BatonError, SAFE_KUBECONFIG_HINT, unsafeKubeconfigProblems } from "@baton/core";

export class UnsafeKubeconfig extends BatonError {
  override readonly code = "UnsafeKubeconfig";
  override readonly status = 403;
}

/**
 * A kubeconfig that came through the API (cluster_config.kubeconfig of a pool's template) is data,
 * not a program: refused when it would run a command inside the worker or read a file of its
 * host. The server refuses it on pool writes too; this is the check for pools written before that
 * and for anything that got past it. A kubeconfig file on the worker's own disk
 * (cluster_config.kubeconfig_file, KUBECONFIG) is the host operator's and is not checked.
 */
export function assertInlineKubeconfigSafe(kubeconfig: Record<string, unknown>): void {
  const problems = unsafeKubeconfigProblems(kubeconfig);
  if (problems.length > 0) throw new UnsafeKubeconfig(`UnsafeKubeconfig: ${problems.join("; ")}; ${SAFE_KUBECONFIG_HINT}`);
}
