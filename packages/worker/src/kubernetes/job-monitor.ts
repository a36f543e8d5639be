import { Writable } from "node:stream";
import type { BatchV1Api, CoreV1Api, KubeConfig, V1Job, V1Pod } from "@kubernetes/client-node";
import type { KubernetesClient } from "./client.js";
import { OutputTail } from "../output/output-tail.js";
import { LABELS } from "./build-job.js";
import { jobFailure, podOutcome } from "./pod-status.js";
import type { RunLog } from "./run-log.js";

export type JobEnd =
  | { kind: "succeeded"; tail: string }
  | { kind: "failed"; exitCode: number | null; reason: string; tail: string; neverStarted?: boolean; lost?: boolean }
  | { kind: "deleted"; reason: string; tail: string };

export interface JobMonitorOptions {
  k8s: KubernetesClient;
  kubeConfig: KubeConfig;
  namespace: string;
  jobName: string;
  flowRunId: string;
  podWatchTimeoutSeconds: number;
  streamOutput: boolean;
  log: RunLog;
  onError(error: unknown): void;
}

const LEVEL = { info: 20, warning: 30 } as const;

/**
 * Follows one run's Job and pod through watches (re-established when the API server closes
 * them): records why a pod is Pending, copies its output, and ends with how the Job ended.
 */
export class JobMonitor {
  readonly ended: Promise<JobEnd>;
  private resolve!: (end: JobEnd) => void;
  private done = false;
  private readonly aborts = new Set<AbortController>();
  private readonly tail = new OutputTail();
  private lastPending: string | undefined;
  private lastPendingText = "no pod was created";
  private pendingTimer: NodeJS.Timeout | undefined;
  private logStreamed: Promise<void> | undefined;
  private readonly core: CoreV1Api;
  private readonly batch: BatchV1Api;

  constructor(private readonly o: JobMonitorOptions) {
    this.core = o.kubeConfig.makeApiClient(o.k8s.CoreV1Api);
    this.batch = o.kubeConfig.makeApiClient(o.k8s.BatchV1Api);
    this.ended = new Promise((r) => (this.resolve = r));
  }

  start(): this {
    const selector = `${LABELS.flowRunId}=${this.o.flowRunId}`;
    this.follow("pods", selector);
    this.follow("jobs", selector);
    this.armPendingTimer();
    return this;
  }

  /** Stop watching (the worker is stopping); `ended` never resolves after this. */
  stop(): void {
    this.done = true;
    clearTimeout(this.pendingTimer);
    for (const a of this.aborts) a.abort();
  }

  private armPendingTimer(): void {
    this.pendingTimer = setTimeout(() => {
      this.finish({ kind: "failed", exitCode: null, reason: `the pod did not start within ${this.o.podWatchTimeoutSeconds}s (pod_watch_timeout_seconds); last: ${this.lastPendingText}`, tail: "", neverStarted: true });
    }, this.o.podWatchTimeoutSeconds * 1000);
  }

  /**
   * Lists the run's pods (or its Job), handles what the list shows, then watches from the list's
   * resourceVersion: nothing that happens between the list and the watch is missed, and a Job
   * deleted while no watch was open is noticed by its absence from the next list. A watch the
   * server ends (timeout, restart, 410 Gone) starts over with a new list.
   */
  private follow(kind: "pods" | "jobs", labelSelector: string): void {
    if (this.done) return;
    let controller: AbortController | undefined;
    let restarted = false;
    const again = (error?: unknown) => {
      if (controller) this.aborts.delete(controller);
      if (this.done || restarted) return;
      restarted = true;
      controller?.abort();
      if (error && !(error instanceof Error && error.name === "AbortError")) this.o.onError(error);
      setTimeout(() => this.follow(kind, labelSelector), 1000).unref();
    };
    const { namespace } = this.o;
    const path = kind === "pods" ? `/api/v1/namespaces/${namespace}/pods` : `/apis/batch/v1/namespaces/${namespace}/jobs`;
    const onEvent = (type: string, obj: unknown) => {
      // A Status instead of an object: the watch cannot go on from its version (410 Gone); list again.
      if (type === "ERROR") return again();
      if (kind === "pods") void this.onPod(type, obj as V1Pod);
      else this.onJob(type, obj as V1Job);
    };
    void (async () => {
      const list = kind === "pods" ? await this.core.listNamespacedPod({ namespace, labelSelector }) : await this.batch.listNamespacedJob({ namespace, labelSelector });
      if (this.done) return;
      if (kind === "jobs" && list.items.length === 0) {
        this.finish({ kind: "deleted", reason: `the Job ${namespace}/${this.o.jobName} was deleted`, tail: this.tail.text() });
        return;
      }
      for (const item of list.items) onEvent("MODIFIED", item);
      const c = await new this.o.k8s.Watch(this.o.kubeConfig).watch(path, { labelSelector, resourceVersion: list.metadata?.resourceVersion }, onEvent, again);
      controller = c;
      if (this.done || restarted) c.abort();
      else this.aborts.add(c);
    })().catch(again);
  }

  private onJob(type: string, job: V1Job): void {
    if (type === "DELETED") {
      this.finish({ kind: "deleted", reason: `the Job ${this.o.namespace}/${this.o.jobName} was deleted`, tail: this.tail.text() });
      return;
    }
    const failure = jobFailure(job);
    // Give the pod's own end (OOMKilled, Evicted: more precise) a moment to arrive first.
    if (failure) setTimeout(() => this.finish({ kind: "failed", exitCode: null, reason: failure, tail: this.tail.text() }), 1500).unref();
  }

  private async onPod(type: string, pod: V1Pod): Promise<void> {
    if (this.done || type === "DELETED") return;
    const outcome = podOutcome(pod);
    const podName = pod.metadata?.name ?? "?";
    if (outcome.kind === "pending") {
      if (!outcome.reason || outcome.reason === this.lastPending) return;
      this.lastPending = outcome.reason;
      const event = await this.latestWarning(podName);
      const text = `${outcome.reason}${event ?? outcome.message ? `: ${event ?? outcome.message}` : ""}`;
      this.lastPendingText = text;
      this.o.log.write(LEVEL.warning, `Pod ${podName} is Pending: ${text}`);
      if (outcome.permanent) this.finish({ kind: "failed", exitCode: null, reason: `the pod cannot start: ${text}`, tail: "", neverStarted: true });
      return;
    }
    clearTimeout(this.pendingTimer);
    if (this.o.streamOutput && !this.logStreamed) this.logStreamed = this.streamLog(podName);
    if (outcome.kind === "succeeded") this.finish({ kind: "succeeded", tail: "" });
    else if (outcome.kind === "failed") this.finish({ kind: "failed", exitCode: outcome.exitCode, reason: outcome.reason, tail: "", lost: outcome.lost });
  }

  /** The newest Warning event of the pod: the kubelet's and scheduler's own words (e.g. why a pull failed). */
  private async latestWarning(podName: string): Promise<string | undefined> {
    try {
      const events = await this.core.listNamespacedEvent({ namespace: this.o.namespace, fieldSelector: `involvedObject.name=${podName}` });
      const warnings = events.items.filter((e) => e.type === "Warning");
      const time = (e: (typeof warnings)[number]) => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();
      const newest = warnings.sort((a, b) => time(a) - time(b)).at(-1);
      return newest?.message ? `${newest.message}` : undefined;
    } catch (error) {
      this.o.onError(error);
      return undefined;
    }
  }

  private async streamLog(podName: string): Promise<void> {
    let partial = "";
    const sink = new Writable({
      write: (chunk: Buffer, _enc, callback) => {
        const text = partial + chunk.toString("utf8");
        const lines = text.split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          this.tail.push(`${line}\n`);
          this.o.log.write(LEVEL.info, line);
        }
        callback();
      },
    });
    const finished = new Promise<void>((resolve) => {
      sink.on("finish", resolve);
      sink.on("close", resolve);
    });
    try {
      const c = await new this.o.k8s.Log(this.o.kubeConfig).log(this.o.namespace, podName, "flow-run", sink, { follow: true });
      this.aborts.add(c);
      await finished;
    } catch (error) {
      // 404: the pod is already gone (its Job was deleted); what it printed went with it.
      if ((error as { code?: number }).code !== 404) this.o.onError(error);
    }
    if (partial) {
      this.tail.push(partial);
      this.o.log.write(LEVEL.info, partial);
    }
  }

  private finish(end: JobEnd): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.pendingTimer);
    const settle = async () => {
      // Let a followed log reach its end (the container has exited) before closing the streams.
      if (this.logStreamed) await Promise.race([this.logStreamed, new Promise((r) => setTimeout(r, 2000))]);
      for (const a of this.aborts) a.abort();
      await this.o.log.flush();
      this.resolve({ ...end, tail: this.tail.text() || end.tail });
    };
    void settle();
  }
}
