import type { KubeConfig, V1Job } from "@kubernetes/client-node";
import { defaultJobVariables, type ClaimedRun, type WorkPool } from "@baton/core";
import type { BatonClient } from "baton";
import type { AdoptedRun, Infrastructure, LaunchContext, LaunchedRun, RunExit } from "../infrastructure.js";
import { findAdoptableJobs, followAnnotations, type AdoptOptions } from "./adopt.js";
import { resolveRuntimeReferences } from "../references/runtime-references.js";
import { batonLabels, buildJobManifest, CONNECTION_ENV, jobNameFor, runSecretManifest } from "./build-job.js";
import { kubernetesClient, type KubernetesClient } from "./client.js";
import { loadKubeConfig } from "./cluster.js";
import { ClusterConfigSchema, parseKubernetesJobConfiguration, type ClusterConfig } from "./job-configuration.js";
import { JobMonitor } from "./job-monitor.js";
import { crashRetriesOf } from "../job-configuration/crash-retries.js";
import { createJobReplacingLostAttempt, deleteLostAttempt } from "./previous-attempt.js";
import { askKubernetes, statusOf } from "./api-error.js";
import { poolNamespaces } from "./namespaces.js";
import { RunLog } from "./run-log.js";
import { validateJobManifest } from "./validate-manifest.js";
import { enforceHostAccess, type HostAccess } from "../host-access/host-access.js";
import { podHostRequests } from "./host-access.js";

export interface KubernetesInfrastructureOptions {
  /** Records Pending reasons, pod output and crashes on the run. */
  client: BatonClient;
  /** Used when a run's job configuration has no cluster_config (default: in-cluster or the default kubeconfig). */
  kubeConfig?: KubeConfig;
  workPool?: string;
  /** The pool's Jobs can be adopted (adopt.ts) when it is known: its defaults say where they are. */
  pool?: WorkPool;
  /** What pods may take from their node (privileged, hostPath, host namespaces, the engine's socket): nothing when not given. */
  hostAccess?: HostAccess;
  onError?(error: unknown): void;
}

/**
 * Each run is a batch/v1 Job. The server URL and the run's credential (and any secret the job
 * configuration resolved) go to a Secret owned by the Job, so they are never plain values in the
 * Job and Kubernetes deletes them with it.
 */
export class KubernetesInfrastructure implements Infrastructure {
  readonly type = "kubernetes";
  private readonly monitors = new Set<JobMonitor>();
  private readonly onError: (error: unknown) => void;

  constructor(private readonly options: KubernetesInfrastructureOptions) {
    this.onError = options.onError ?? (() => {});
  }

  /**
   * The infrastructure of a worker of this pool: it can also adopt (see adopt.ts), in every
   * namespace the pool's Jobs use (its default and each deployment's) and with the pool's default
   * cluster_config, the Jobs this worker left running before a restart or a worker now gone left.
   */
  static forWorker(pool: WorkPool, worker: { client: BatonClient; onError(error: unknown): void; hostAccess?: HostAccess }): KubernetesInfrastructure {
    return new KubernetesInfrastructure({ client: worker.client, workPool: pool.name, pool, onError: worker.onError, hostAccess: worker.hostAccess ?? {} });
  }

  private async kubeConfigFor(cluster: ClusterConfig | undefined): Promise<KubeConfig> {
    return cluster || !this.options.kubeConfig ? loadKubeConfig(cluster) : this.options.kubeConfig;
  }

  async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
    const resolved = await resolveRuntimeReferences(claimed.job_configuration, context);
    const config = parseKubernetesJobConfiguration(resolved.config);
    const run = claimed.flow_run;
    const secretEnv = Object.keys(config.env).filter((k) => resolved.secretValues.some((v) => v.length > 0 && config.env[k]!.includes(v)));
    const secretData: Record<string, string> = {};
    for (const k of secretEnv) secretData[k] = config.env[k]!;
    if (context.apiUrl) secretData.BATON_API_URL = context.apiUrl;
    for (const name of CONNECTION_ENV) if (context.credentials[name]) secretData[name] = context.credentials[name]!;
    const jobName = jobNameFor(config, run);
    const runSecretName = `${jobName}-baton`;
    const inputs = { flowRun: run, deployment: claimed.deployment, workerName: context.workerName, workPool: this.options.workPool, secretEnv: Object.keys(secretData), runSecretName };
    // What a worker that adopts the Job later needs to follow it as this one does (adopt.ts).
    const metadata = (config.job_manifest.metadata ?? {}) as { annotations?: Record<string, unknown> };
    const annotations = { ...metadata.annotations, ...followAnnotations({ workerName: context.workerName, flowRunName: run.name, crashRetries: config.crash_retries, streamOutput: config.stream_output, podWatchTimeoutSeconds: config.pod_watch_timeout_seconds }) };
    const manifest = validateJobManifest(buildJobManifest({ ...config, job_manifest: { ...config.job_manifest, metadata: { ...metadata, name: jobName, annotations } } }, inputs));
    // The Job as it would be sent, with the git credential containers the worker adds: no template gets around it.
    enforceHostAccess(podHostRequests(manifest), this.options.hostAccess ?? {}, "Kubernetes");
    const k8s = await kubernetesClient();
    const kc = await this.kubeConfigFor(config.cluster_config);
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const namespace = config.namespace;
    const job = await askKubernetes(`create Job ${namespace}/${jobName}`, () => createJobReplacingLostAttempt(batch, namespace, manifest as V1Job, run.id));
    try {
      const owner = { name: jobName, uid: job.metadata!.uid! };
      await askKubernetes(`create Secret ${namespace}/${runSecretName}`, () => core.createNamespacedSecret({ namespace, body: runSecretManifest(runSecretName, namespace, secretData, owner, batonLabels(inputs)) }));
    } catch (error) {
      await batch.deleteNamespacedJob({ name: jobName, namespace, propagationPolicy: "Foreground" }).catch(() => undefined);
      throw error;
    }
    return this.follow(k8s, kc, { namespace, jobName, flowRunId: run.id, podWatchTimeoutSeconds: config.pod_watch_timeout_seconds, streamOutput: config.stream_output }, context.maskSecrets);
  }

  /**
   * Follows a Job until it ends and reports how: the Kubernetes reason (evicted, OOM-killed,
   * image pull, deleted), whether the pod was lost (evicted, OOM-killed, its Job deleted: the
   * pool's crash_retries applies) and the pod's last lines. The worker's loop records it.
   */
  private follow(
    k8s: KubernetesClient,
    kc: KubeConfig,
    job: { namespace: string; jobName: string; flowRunId: string; podWatchTimeoutSeconds: number; streamOutput: boolean },
    mask: (text: string) => string = (text) => text,
  ): LaunchedRun {
    const { client } = this.options;
    const log = new RunLog(client, job.flowRunId, "baton.worker.kubernetes", this.onError, mask);
    const monitor = new JobMonitor({ k8s, kubeConfig: kc, ...job, log, onError: this.onError }).start();
    this.monitors.add(monitor);
    let terminating = false;
    let jobDeleted = false;
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const exited: Promise<RunExit> = monitor.ended.then(async (end) => {
      this.monitors.delete(monitor);
      if (terminating) return { exitCode: null, signal: "SIGTERM", tail: end.tail };
      if (end.kind === "succeeded") return { exitCode: 0, signal: null, tail: end.tail };
      if (end.kind === "failed" && end.neverStarted) {
        // A pod that cannot start (image, scheduling) would keep trying forever: end its Job.
        await batch.deleteNamespacedJob({ name: job.jobName, namespace: job.namespace, propagationPolicy: "Foreground" }).catch(this.onError);
      }
      jobDeleted = end.kind === "deleted";
      const lost = end.kind === "deleted" || (end.kind === "failed" && end.lost === true);
      const reason = mask(`Kubernetes Job ${job.namespace}/${job.jobName}: ${end.reason}`);
      return { exitCode: end.kind === "failed" ? end.exitCode : null, signal: null, tail: mask(end.tail.trim()), lost, reason };
    });
    const terminate = async (graceSeconds: number): Promise<RunExit> => {
      terminating = true;
      try {
        // Foreground: the Job is gone only once its pod is, so "deleted" means the run has stopped.
        await batch.deleteNamespacedJob({ name: job.jobName, namespace: job.namespace, propagationPolicy: "Foreground", gracePeriodSeconds: Math.round(graceSeconds) });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      return exited;
    };
    // The next attempt's Job takes this one's name: clear it away (kept when the run Crashed, for kubectl describe).
    const afterRescheduled = async () => {
      if (!jobDeleted) await deleteLostAttempt(batch, job.namespace, job.jobName);
    };
    return { exited, terminate, afterRescheduled };
  }

  /**
   * The running Jobs of this pool whose worker is this one (after a restart) or one that is gone,
   * each followed as if just launched: the worker's loop then sees them to an end like its own
   * (a cancel deletes the Job, an end without a final state is a crash or a retry).
   */
  async adopt(options: AdoptOptions): Promise<AdoptedRun[]> {
    const pool = this.options.pool;
    if (!pool) return [];
    const defaults = defaultJobVariables(pool.base_job_template);
    const parsed = ClusterConfigSchema.optional().safeParse(defaults.cluster_config ?? undefined);
    const k8s = await kubernetesClient();
    const kc = await this.kubeConfigFor(parsed.success ? parsed.data : undefined);
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const namespaces = await poolNamespaces(this.options.client, pool);
    const jobs = await findAdoptableJobs(batch, namespaces, options, { crashRetries: crashRetriesOf(defaults) });
    return jobs.map((job) => ({
      id: job.flowRunId,
      name: job.flowRunName,
      crashRetries: job.crashRetries,
      launched: this.follow(k8s, kc, { namespace: job.namespace, jobName: job.jobName, flowRunId: job.flowRunId, podWatchTimeoutSeconds: job.podWatchTimeoutSeconds, streamOutput: job.streamOutput }),
    }));
  }

  /** Stop following Jobs (the worker is going away); the Jobs themselves keep running. */
  close(): void {
    for (const m of this.monitors) m.stop();
    this.monitors.clear();
  }
}
