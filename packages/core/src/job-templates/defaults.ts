import { LOCKED_KEYWORD } from "./locks.js";
import type { BaseJobTemplate } from "./schema.js";

/**
 * What only the pool's admin may set: a deployer (a CI pipeline's key) choosing these could reach
 * the worker's host or the cluster beyond its run. An admin unlocks one by removing the keyword.
 */
const LOCKED = { [LOCKED_KEYWORD]: true } as const;
/** Kubernetes object names (RFC 1123 label), as Kubernetes itself checks them. */
const DNS_LABEL = { pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 } as const;
/** Kubernetes quantities: 500m, 2, 1.5, 256Mi, 1G. */
const QUANTITY = { pattern: "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$" } as const;

export const WORK_POOL_TYPES = ["process", "docker", "kubernetes"] as const;
export type WorkPoolType = (typeof WORK_POOL_TYPES)[number];

const common = {
  name: { type: "string", title: "Name", description: "Name given to the infrastructure (defaults to the flow run's name)" },
  env: { type: "object", title: "Environment", description: "Environment variables for the run; merged key by key with the pool's and the deployment's", additionalProperties: { type: "string" }, default: {} },
  labels: { type: "object", title: "Labels", description: "Labels added to the infrastructure", additionalProperties: { type: "string" }, default: {} },
  command: { type: "string", title: "Command", description: "The command that starts the flow run; leave it to Baton unless you wrap it", default: "baton flow-run execute" },
  pull_step_timeout_seconds: {
    type: "integer",
    title: "Pull step time limit",
    description: "Seconds each pull step (git_clone, run_shell_script...) may take; past it the step is stopped and the run fails naming it",
    minimum: 1,
    default: 900,
  },
} as const;

/** The variable of the run's process that carries pull_step_timeout_seconds (the worker sets it, the run reads it). */
export const PULL_STEP_TIMEOUT_ENV = "BATON_PULL_STEP_TIMEOUT_SECONDS";

/**
 * Docker and Kubernetes pools: a run whose container or pod was lost without the run reaching a
 * final state (evicted, OOM-killed, its Job or container removed by someone else) goes back to
 * Scheduled for another attempt this many times before it is recorded Crashed. A flow that fails
 * or exits non-zero on its own is not retried here (that is the flow's `retries`).
 */
const crashRetries = {
  type: "integer",
  title: "Crash retries",
  description: "How many times a run whose container or pod was lost (evicted, OOM-killed, removed) before it ended goes back to Scheduled for another attempt, instead of Crashed",
  minimum: 0,
  maximum: 10,
  default: 0,
} as const;

/** The process pool: each flow run is a child process of the worker, in its own process group. */
export const PROCESS_BASE_JOB_TEMPLATE: BaseJobTemplate = {
  job_configuration: {
    command: "{{ command }}",
    env: "{{ env }}",
    labels: "{{ labels }}",
    name: "{{ name }}",
    stream_output: "{{ stream_output }}",
    working_dir: "{{ working_dir }}",
    pull_step_timeout_seconds: "{{ pull_step_timeout_seconds }}",
    reuse_process: "{{ reuse_process }}",
    reuse_limit: "{{ reuse_limit }}",
  },
  variables: {
    type: "object",
    properties: {
      ...common,
      stream_output: { type: "boolean", title: "Stream output", description: "Copy the run's output to the worker's", default: true },
      working_dir: { type: "string", title: "Working directory", description: "Where the run starts (default: a new temporary folder per run)" },
      reuse_process: {
        type: "boolean",
        title: "Reuse the process",
        description: "Run this deployment's runs in one long-lived process per deployment version, several at a time, like serve(): for frequent, light flows. Module state and memory are shared between runs; each run's logger, context, credentials and parameters are not (docs/workers.md)",
        default: false,
      },
      reuse_limit: { type: "integer", title: "Runs per reused process", description: "With reuse_process: how many runs one process takes at a time; more start in processes of their own", minimum: 1, maximum: 100, default: 10 },
    },
  },
};

/**
 * The Docker pool: each flow run is a container on the worker's Docker engine. Git credentials
 * from the host are files (`git_ssh_key_path`, `git_known_hosts_path`) the worker mounts read-only
 * and points GIT_SSH_COMMAND at; `{{ baton.secrets.X }}` in `env` is resolved by the worker at launch.
 */
export const DOCKER_BASE_JOB_TEMPLATE: BaseJobTemplate = {
  job_configuration: {
    image: "{{ image }}",
    image_pull_policy: "{{ image_pull_policy }}",
    command: "{{ command }}",
    env: "{{ env }}",
    labels: "{{ labels }}",
    name: "{{ name }}",
    network_mode: "{{ network_mode }}",
    volumes: "{{ volumes }}",
    memory: "{{ memory }}",
    cpus: "{{ cpus }}",
    auto_remove: "{{ auto_remove }}",
    privileged: "{{ privileged }}",
    stream_output: "{{ stream_output }}",
    git_ssh_key_path: "{{ git_ssh_key_path }}",
    git_known_hosts_path: "{{ git_known_hosts_path }}",
    crash_retries: "{{ crash_retries }}",
    pull_step_timeout_seconds: "{{ pull_step_timeout_seconds }}",
  },
  variables: {
    type: "object",
    properties: {
      ...common,
      name: { ...common.name, description: "Name of the container (defaults to the flow run's name; a short unique suffix is added)" },
      labels: { ...common.labels, description: "Labels added to the container (Baton adds its own io.baton.* labels)" },
      image: { type: "string", title: "Image", description: "The image of the flow run's container; build it FROM the Baton image (deploy/docker/Dockerfile)", default: "ghcr.io/baton-dev/baton:latest" },
      image_pull_policy: { type: "string", title: "Image pull policy", description: "Always pulls before each run; IfNotPresent pulls when the engine does not have the image; Never only uses a local image", enum: ["IfNotPresent", "Always", "Never"], default: "IfNotPresent" },
      network_mode: { type: "string", title: "Network mode", description: "Docker network of the container: bridge, none or a network's name (the engine's default when unset); host needs a worker started with --allow-host-namespaces", ...LOCKED },
      volumes: { type: "array", title: "Volumes", description: "Named volumes and bind mounts, as `volume_or_host_path:container_path[:ro]`; a host path needs a worker started with --allow-host-mounts", items: { type: "string", pattern: "^[^:]+:/[^:]*(:(ro|rw))?$" }, default: [], ...LOCKED },
      memory: { type: "string", title: "Memory limit", description: "e.g. 512m or 2g; a run that exceeds it is killed and recorded Crashed (out of memory)", pattern: "^[0-9]+(\\.[0-9]+)?\\s*[bkmgBKMG]?[bB]?$" },
      cpus: { type: "number", title: "CPUs", description: "CPU limit, e.g. 0.5 or 2", exclusiveMinimum: 0 },
      auto_remove: { type: "boolean", title: "Auto remove", description: "Remove the container once the run has ended; false keeps it for docker logs and docker inspect", default: true },
      privileged: { type: "boolean", title: "Privileged", description: "Run the container privileged (full access to the host's devices); needs a worker started with --allow-privileged", default: false, ...LOCKED },
      stream_output: { type: "boolean", title: "Stream output", description: "Copy the container's output to the worker's", default: true },
      git_ssh_key_path: { type: "string", title: "Git SSH key file", description: "A private key file on the worker's host, mounted read-only into the container with GIT_SSH_COMMAND set to use it (it must be readable by the image's user); or leave unset and give the git_clone step a secret; needs a worker started with --allow-host-mounts", ...LOCKED },
      git_known_hosts_path: { type: "string", title: "Git known_hosts file", description: "A known_hosts file on the worker's host, mounted read-only; host keys are checked strictly against it; needs a worker started with --allow-host-mounts", ...LOCKED },
      crash_retries: crashRetries,
    },
  },
};


const str = (title: string, description: string, extra: Record<string, unknown> = {}) => ({ type: "string", title, description, ...extra });
const obj = (title: string, description: string, extra: Record<string, unknown> = {}) => ({ type: "object", title, description, ...extra });
const list = (title: string, description: string, extra: Record<string, unknown> = {}) => ({ type: "array", title, description, ...extra });

/**
 * The Kubernetes pool: each flow run is a batch/v1 Job. `job_manifest` is the Job; the keys
 * beside it tell the worker how to launch and watch it. Git credentials are not spelled out in
 * the manifest: `git_ssh_secret` and `git_token_secret` name Secrets and the worker adds the
 * volume, init container, mounts and env they need (see the worker's kubernetes/git-credentials.ts),
 * so a deployment sets one line instead of thirty.
 */
export const KUBERNETES_BASE_JOB_TEMPLATE: BaseJobTemplate = {
  job_configuration: {
    command: "{{ command }}",
    env: "{{ env }}",
    name: "{{ name }}",
    namespace: "{{ namespace }}",
    cluster_config: "{{ cluster_config }}",
    stream_output: "{{ stream_output }}",
    pod_watch_timeout_seconds: "{{ pod_watch_timeout_seconds }}",
    git_ssh_secret: "{{ git_ssh_secret }}",
    git_token_secret: "{{ git_token_secret }}",
    crash_retries: "{{ crash_retries }}",
    pull_step_timeout_seconds: "{{ pull_step_timeout_seconds }}",
    job_manifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { namespace: "{{ namespace }}", labels: "{{ labels }}", annotations: "{{ annotations }}" },
      spec: {
        backoffLimit: "{{ backoff_limit }}",
        ttlSecondsAfterFinished: "{{ finished_job_ttl }}",
        activeDeadlineSeconds: "{{ active_deadline_seconds }}",
        template: {
          metadata: { labels: "{{ labels }}", annotations: "{{ annotations }}" },
          spec: {
            restartPolicy: "Never",
            securityContext: "{{ pod_security_context }}",
            serviceAccountName: "{{ service_account_name }}",
            imagePullSecrets: "{{ image_pull_secrets }}",
            nodeSelector: "{{ node_selector }}",
            tolerations: "{{ tolerations }}",
            affinity: "{{ affinity }}",
            volumes: "{{ volumes }}",
            initContainers: "{{ init_containers }}",
            containers: [
              {
                name: "flow-run",
                image: "{{ image }}",
                imagePullPolicy: "{{ image_pull_policy }}",
                securityContext: "{{ container_security_context }}",
                resources: {
                  requests: { cpu: "{{ cpu_request }}", memory: "{{ memory_request }}" },
                  limits: { cpu: "{{ cpu_limit }}", memory: "{{ memory_limit }}" },
                },
                volumeMounts: "{{ volume_mounts }}",
              },
            ],
          },
        },
      },
    },
  },
  variables: {
    type: "object",
    properties: {
      ...common,
      labels: { ...common.labels, description: "Labels added to the Job and its pod (Baton adds its own baton.io/* labels)" },
      image: str("Image", "The image of the flow run's container; build it FROM the Baton image", { default: "ghcr.io/baton-dev/baton:latest" }),
      namespace: str("Namespace", "Namespace of the Job", { default: "default", ...DNS_LABEL, ...LOCKED }),
      service_account_name: str("Service account", "Service account the pod runs as (its API rights are the run's)", { pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", maxLength: 253, ...LOCKED }),
      image_pull_policy: str("Image pull policy", "When the kubelet pulls the image", { enum: ["IfNotPresent", "Always", "Never"], default: "IfNotPresent" }),
      image_pull_secrets: list("Image pull secrets", "Names of Secrets of type kubernetes.io/dockerconfigjson", { items: { type: "string" } }),
      annotations: obj("Annotations", "Annotations added to the Job and its pod", { additionalProperties: { type: "string" } }),
      backoff_limit: { type: "integer", title: "Backoff limit", description: "Pod retries of the Job; 0 because Baton retries flows itself", minimum: 0, default: 0 },
      finished_job_ttl: { type: "integer", title: "Finished Job TTL", description: "Seconds a finished Job is kept before Kubernetes deletes it", minimum: 0 },
      active_deadline_seconds: { type: "integer", title: "Active deadline", description: "Seconds after which Kubernetes ends the Job", minimum: 1 },
      cpu_request: str("CPU request", "e.g. 500m", QUANTITY),
      cpu_limit: str("CPU limit", "e.g. 2", QUANTITY),
      memory_request: str("Memory request", "e.g. 256Mi", QUANTITY),
      memory_limit: str("Memory limit", "e.g. 1Gi", QUANTITY),
      node_selector: obj("Node selector", "Labels a node must have", { additionalProperties: { type: "string" } }),
      tolerations: list("Tolerations", "Pod tolerations, as in a pod spec", { items: { type: "object" } }),
      affinity: obj("Affinity", "Pod affinity, as in a pod spec"),
      volumes: list("Volumes", "Pod volumes, as in a pod spec; hostPath needs a worker started with --allow-host-mounts", { items: { type: "object" }, ...LOCKED }),
      volume_mounts: list("Volume mounts", "Mounts of the flow run's container", { items: { type: "object" }, ...LOCKED }),
      init_containers: list("Init containers", "Containers run before the flow run's", { items: { type: "object" }, ...LOCKED }),
      cluster_config: obj("Cluster", "How the worker reaches the cluster: { kubeconfig_file, context } or { kubeconfig: <a kubeconfig document> }; in-cluster or the default kubeconfig when unset; never from a deployment or a run, and an inline kubeconfig may not run commands (exec, auth-provider) or read files", LOCKED),
      pod_watch_timeout_seconds: { type: "integer", title: "Pod watch timeout", description: "Seconds a pod may stay Pending (pulling, unschedulable) before the run is Crashed", minimum: 1, default: 300 },
      stream_output: { type: "boolean", title: "Stream output", description: "Copy the pod's log to the run's logs", default: true },
      git_ssh_secret: str("Git SSH secret", "A Secret with the deploy key (id_ed25519, id_rsa or id_ecdsa) and known_hosts; mounted read-only, mode 0400, with GIT_SSH_COMMAND set", LOCKED),
      git_token_secret: str("Git token secret", "A Secret whose key `token` holds an HTTPS token; given to the pod as GIT_TOKEN through secretKeyRef", LOCKED),
      crash_retries: crashRetries,
      // Defaults that pass the Pod Security Standard "restricted", so a namespace that enforces
      // it admits the run's pod; the Baton image runs as user 10001. Set either to {} to drop it.
      pod_security_context: obj("Pod security context", "The pod's securityContext, as in a pod spec", {
        default: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      }),
      container_security_context: obj("Container security context", "The securityContext of the flow run's container (and of Baton's git-key init container), as in a pod spec", {
        default: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      }),
    },
  },
};

const TEMPLATES: Partial<Record<WorkPoolType, BaseJobTemplate>> = { process: PROCESS_BASE_JOB_TEMPLATE, docker: DOCKER_BASE_JOB_TEMPLATE, kubernetes: KUBERNETES_BASE_JOB_TEMPLATE };

/** The base job template a new pool of this type starts with (a deep copy: callers may edit it). */
export function defaultBaseJobTemplate(type: WorkPoolType): BaseJobTemplate | undefined {
  const t = TEMPLATES[type];
  return t ? (structuredClone(t) as BaseJobTemplate) : undefined;
}
