import { findPlaceholders, type FieldIssue } from "@baton/core";
import { buildJobManifest, CONNECTION_ENV, jobNameFor } from "./build-job.js";
import { KubernetesJobConfigurationSchema } from "./job-configuration.js";
import { jobManifestIssues } from "./validate-manifest.js";

export interface JobPreview {
  /** The Job as a run would create it; undefined when the job configuration itself is invalid. */
  manifest: Record<string, unknown> | undefined;
  issues: FieldIssue[];
}

/** Stands in for the flow run a preview has no run of: the name and id are marked as such. */
const PREVIEW_RUN = { id: "00000000-0000-7000-8000-000000000000", name: "flow-run-name" };

/**
 * The Job a run of a deployment would create, from its rendered job configuration, without a
 * run, a cluster or any secret value: env values that reference `{{ baton.secrets.NAME }}` are
 * shown as secretKeyRef into the run's Secret (as the worker sends them), and so are the server
 * URL and key. Also the deploy-time check: every problem of the Job, each with its field path.
 */
export function previewJobManifest(
  jobConfiguration: Record<string, unknown>,
  context: { flowId?: string; deploymentId?: string | null; flowName: string; deploymentName: string; workerName?: string; workPool?: string },
): JobPreview {
  const parsed = KubernetesJobConfigurationSchema.safeParse(jobConfiguration);
  if (!parsed.success) {
    return { manifest: undefined, issues: parsed.error.issues.map((i) => ({ path: `job_configuration.${i.path.join(".")}`, message: i.message })) };
  }
  const config = parsed.data;
  const secretEnv = Object.entries(config.env)
    .filter(([, value]) => findPlaceholders(value).some((f) => f.placeholder.kind === "secret"))
    .map(([name]) => name);
  const flowRun = { ...PREVIEW_RUN, flow_id: context.flowId ?? PREVIEW_RUN.id, deployment_id: context.deploymentId ?? null };
  const jobName = jobNameFor(config, flowRun);
  const manifest = buildJobManifest(config, {
    flowRun,
    deployment: { flow_name: context.flowName, name: context.deploymentName },
    workerName: context.workerName ?? "worker-name",
    workPool: context.workPool,
    secretEnv: [...secretEnv, "BATON_API_URL", "BATON_API_KEY"].filter((n, i, all) => all.indexOf(n) === i && (secretEnv.includes(n) || (CONNECTION_ENV as readonly string[]).includes(n))),
    runSecretName: `${jobName}-baton`,
  });
  return { manifest, issues: jobManifestIssues(manifest) };
}
