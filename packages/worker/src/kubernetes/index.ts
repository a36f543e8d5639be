export { KubernetesInfrastructure, type KubernetesInfrastructureOptions } from "./kubernetes-infrastructure.js";
export { validateJobManifest, jobManifestIssues, InvalidJobManifest } from "./validate-manifest.js";
export { buildJobManifest, runSecretManifest, jobNameFor, batonLabels, LABELS, type JobInputs } from "./build-job.js";
export { KubernetesJobConfigurationSchema, ClusterConfigSchema, parseKubernetesJobConfiguration, type KubernetesJobConfiguration, type ClusterConfig } from "./job-configuration.js";
export { loadKubeConfig } from "./cluster.js";
export { GIT_SSH_COMMAND, GIT_SSH_DIR } from "./git-credentials.js";
export { podOutcome, type PodOutcome } from "./pod-status.js";
export { previewJobManifest, type JobPreview } from "./preview.js";
export { UnsafeKubeconfig } from "./kubeconfig-safety.js";
