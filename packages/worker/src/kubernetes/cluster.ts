import type { KubeConfig } from "@kubernetes/client-node";
import { kubernetesClient } from "./client.js";
import type { ClusterConfig } from "./job-configuration.js";
import { assertInlineKubeconfigSafe } from "./kubeconfig-safety.js";

/**
 * How the worker reaches the cluster: the pool's `cluster_config` when set (an inline kubeconfig,
 * or a kubeconfig file, with an optional context), else in-cluster config when the worker runs in
 * a pod, else the default kubeconfig ($KUBECONFIG or ~/.kube/config).
 */
export async function loadKubeConfig(cluster: ClusterConfig | undefined): Promise<KubeConfig> {
  const { KubeConfig } = await kubernetesClient();
  const kc = new KubeConfig();
  if (cluster?.kubeconfig) {
    assertInlineKubeconfigSafe(cluster.kubeconfig);
    kc.loadFromString(JSON.stringify(cluster.kubeconfig));
  }
  else if (cluster?.kubeconfig_file) kc.loadFromFile(cluster.kubeconfig_file);
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (cluster?.context) {
    if (!kc.getContextObject(cluster.context)) {
      throw new Error(`cluster_config.context "${cluster.context}" is not in the kubeconfig; its contexts: ${kc.getContexts().map((c) => c.name).join(", ") || "(none)"}`);
    }
    kc.setCurrentContext(cluster.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new Error(`no Kubernetes cluster is configured: set cluster_config on the work pool, KUBECONFIG, or run the worker in the cluster`);
  }
  return kc;
}
