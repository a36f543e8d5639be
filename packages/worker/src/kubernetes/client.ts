/**
 * @kubernetes/client-node takes about two seconds to import: loaded on first use, so that
 * process and Docker workers (and every CLI command) do not pay for it.
 */
export type KubernetesClient = typeof import("@kubernetes/client-node");

let loading: Promise<KubernetesClient> | undefined;
export function kubernetesClient(): Promise<KubernetesClient> {
  loading ??= import("@kubernetes/client-node");
  return loading;
}
