import { runEnvironment, type ClaimedRun } from "@baton/core";
import { splitCommand } from "../command/split-command.js";
import { addGitCredentials } from "./git-credentials.js";
import type { KubernetesJobConfiguration } from "./job-configuration.js";
import { toDns1123Label, toLabelValue } from "./names.js";

type Obj = Record<string, unknown>;
const isRecord = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export const LABELS = {
  flowRunId: "baton.io/flow-run-id",
  flowRunName: "baton.io/flow-run-name",
  deploymentId: "baton.io/deployment-id",
  flowId: "baton.io/flow-id",
  worker: "baton.io/worker",
  workPool: "baton.io/work-pool",
} as const;

/** Env names whose values come from the run's own Secret instead of being written in the Job. */
export const CONNECTION_ENV = ["BATON_API_URL", "BATON_API_KEY", "BATON_API_AUTH_STRING", "BATON_API_SSL_CERT", "BATON_API_TLS_INSECURE_SKIP_VERIFY"] as const;

export interface JobInputs {
  flowRun: Pick<ClaimedRun["flow_run"], "id" | "name" | "flow_id" | "deployment_id">;
  deployment: Pick<NonNullable<ClaimedRun["deployment"]>, "flow_name" | "name"> | null;
  workerName: string;
  workPool?: string | undefined;
  /** Env names of `config.env` (and connection settings) whose values go to the run's Secret. */
  secretEnv: string[];
  /** Name of the Secret holding those values (created by the worker after the Job). */
  runSecretName: string;
}

/** The Job's name: the run's (or the configured) name made a DNS-1123 label, plus the run id's random tail. */
export function jobNameFor(config: Pick<KubernetesJobConfiguration, "name">, flowRun: { id: string; name: string }): string {
  return `${toDns1123Label(config.name ?? flowRun.name, 54)}-${flowRun.id.replace(/-/g, "").slice(-8)}`;
}

/** Labels that let the worker (and a person with kubectl) find the Job of a run, deployment, flow or worker. */
export function batonLabels(inputs: Pick<JobInputs, "flowRun" | "workerName" | "workPool">): Record<string, string> {
  const run = inputs.flowRun;
  return {
    [LABELS.flowRunId]: run.id,
    [LABELS.flowRunName]: toLabelValue(run.name),
    [LABELS.flowId]: run.flow_id,
    ...(run.deployment_id ? { [LABELS.deploymentId]: run.deployment_id } : {}),
    [LABELS.worker]: toLabelValue(inputs.workerName),
    ...(inputs.workPool ? { [LABELS.workPool]: toLabelValue(inputs.workPool) } : {}),
  };
}

/**
 * The Job for one run, from the rendered job configuration: Baton's labels on the Job and its
 * pod, the command, the environment (plain values only for what is not secret; secrets and the
 * connection settings as secretKeyRef into the run's Secret), and the git credentials. A user's
 * own template may be anything; validateJobManifest checks the result before it is sent.
 */
export function buildJobManifest(config: KubernetesJobConfiguration, inputs: JobInputs): Obj {
  const job = structuredClone(config.job_manifest) as Obj;
  const metadata = (isRecord(job.metadata) ? job.metadata : (job.metadata = {})) as Obj;
  const labels = batonLabels(inputs);
  metadata.name = typeof metadata.name === "string" && metadata.name ? metadata.name : jobNameFor(config, inputs.flowRun);
  metadata.namespace = config.namespace;
  metadata.labels = { ...(isRecord(metadata.labels) ? metadata.labels : {}), ...labels };
  const spec = (isRecord(job.spec) ? job.spec : (job.spec = {})) as Obj;
  const template = (isRecord(spec.template) ? spec.template : (spec.template = {})) as Obj;
  const podMeta = (isRecord(template.metadata) ? template.metadata : (template.metadata = {})) as Obj;
  podMeta.labels = { ...(isRecord(podMeta.labels) ? podMeta.labels : {}), ...labels };
  const pod = (isRecord(template.spec) ? template.spec : (template.spec = {})) as Obj;
  const containers = Array.isArray(pod.containers) ? (pod.containers as Obj[]) : (pod.containers = []);
  let container = containers.find((c) => isRecord(c) && c.name === "flow-run") ?? containers[0];
  if (!isRecord(container)) containers.push((container = { name: "flow-run" }));
  // Image pull secrets may be given as plain names.
  if (Array.isArray(pod.imagePullSecrets)) pod.imagePullSecrets = pod.imagePullSecrets.map((s) => (typeof s === "string" ? { name: s } : s));
  if (container.command === undefined && container.args === undefined) {
    container.command = typeof config.command === "string" ? splitCommand(config.command) : config.command;
  }
  const fromSecret = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: inputs.runSecretName, key: name } } });
  const env: Obj[] = Array.isArray(container.env) ? [...(container.env as Obj[])] : [];
  for (const [name, value] of Object.entries(config.env)) env.push(inputs.secretEnv.includes(name) ? fromSecret(name) : { name, value });
  for (const name of CONNECTION_ENV) if (inputs.secretEnv.includes(name)) env.push(fromSecret(name));
  const run = inputs.flowRun;
  const maskedEnv = inputs.secretEnv.filter((n) => !(CONNECTION_ENV as readonly string[]).includes(n));
  const identity = runEnvironment({ flowRunId: run.id, workerName: inputs.workerName, deployment: inputs.deployment, secretEnv: maskedEnv, pullStepTimeoutSeconds: config.pull_step_timeout_seconds });
  for (const [name, value] of Object.entries(identity)) env.push({ name, value });
  container.env = env;
  addGitCredentials(pod, container, { sshSecret: config.git_ssh_secret, tokenSecret: config.git_token_secret });
  return job;
}

/** The run's Secret: the values the Job references, owned by the Job so Kubernetes deletes it with the Job. */
export function runSecretManifest(name: string, namespace: string, data: Record<string, string>, owner: { name: string; uid: string }, labels: Record<string, string>): Obj {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name,
      namespace,
      labels,
      // No blockOwnerDeletion: setting it needs update on jobs/finalizers, which the worker's Role does not grant.
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: owner.name, uid: owner.uid }],
    },
    stringData: data,
  };
}
