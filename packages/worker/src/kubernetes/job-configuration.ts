import { z } from "zod";
import { parseJobConfiguration } from "../job-configuration/parse.js";

export const ClusterConfigSchema = z
  .object({
    /** A kubeconfig file (default: $KUBECONFIG or ~/.kube/config). */
    kubeconfig_file: z.string().min(1).optional(),
    /** A kubeconfig document given inline (JSON/YAML object). */
    kubeconfig: z.record(z.string(), z.unknown()).optional(),
    context: z.string().min(1).optional(),
  })
  .strict();
export type ClusterConfig = z.infer<typeof ClusterConfigSchema>;

/** What the Kubernetes infrastructure reads from a rendered job configuration. */
export const KubernetesJobConfigurationSchema = z.object({
  command: z.union([z.string().min(1), z.array(z.string()).min(1)]).default("baton flow-run execute"),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  name: z.string().min(1).optional(),
  namespace: z.string().min(1).default("default"),
  cluster_config: ClusterConfigSchema.optional(),
  stream_output: z.boolean().default(true),
  pod_watch_timeout_seconds: z.number().positive().default(300),
  git_ssh_secret: z.string().min(1).optional(),
  git_token_secret: z.string().min(1).optional(),
  /** Another attempt (back to Scheduled) when the pod is lost, this many times. */
  crash_retries: z.number().int().min(0).max(10).default(0),
  /** Handed to the run as BATON_PULL_STEP_TIMEOUT_SECONDS: the time limit of each pull step. */
  pull_step_timeout_seconds: z.number().int().positive().optional(),
  job_manifest: z.record(z.string(), z.unknown()),
});
export type KubernetesJobConfiguration = z.infer<typeof KubernetesJobConfigurationSchema>;

export function parseKubernetesJobConfiguration(config: Record<string, unknown>): KubernetesJobConfiguration {
  return parseJobConfiguration(KubernetesJobConfigurationSchema, "Kubernetes", config);
}
