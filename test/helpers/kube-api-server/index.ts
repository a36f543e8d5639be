import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handle } from "./routes.js";
import { KubeStore, matchesLabels, type Kind, type Obj, type RecordedRequest } from "./store.js";
import { WatchGate } from "./watch.js";

export type { RecordedRequest } from "./store.js";

/*
 * A Kubernetes API test server: plain HTTP on 127.0.0.1 speaking the REST protocol of the calls
 * the Baton worker makes, so the worker is tested through the real @kubernetes/client-node.
 *
 * What it implements: Jobs (create, read, list, delete with the propagationPolicy and
 * gracePeriodSeconds recorded), Secrets (create, read, delete, list), Pods (list and watch by
 * label selector, one pod created per Job), pod logs (plain and `follow=true` streams), Events
 * (list with a field selector on involvedObject.name), watch streams (newline-delimited JSON,
 * starting with ADDED for the current objects, closable by the test), and `Status` bodies for
 * 404 NotFound, 409 AlreadyExists and 422 Invalid, shaped as the real API server sends them.
 *
 * What it does NOT do (a real cluster must still be trusted for these): no scheduler, kubelet or
 * container runtime (the test decides every pod phase; nothing runs); no Job controller beyond one
 * pod per Job and the Complete/Failed condition when the test ends the pod (no backoffLimit retries,
 * no activeDeadlineSeconds, no ttlSecondsAfterFinished); no admission, schema or RBAC checks (only
 * a missing or non-DNS-1123 name is refused with 422); no authentication; garbage collection of
 * owned Secrets happens at once when their Job is deleted; a watch given a resourceVersion replays
 * every change after it (the whole history is kept: no 410 Gone); no PATCH, no field selectors
 * other than metadata.name and involvedObject.name, no protobuf, no TLS.
 */

export class KubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly store = new KubeStore();
  private readonly gate = new WatchGate();
  private server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void handle(this.store, this.gate, this.requests, this.url, req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Options for KubeConfig.loadFromOptions pointing at this server. */
  kubeConfigOptions(): Obj {
    return {
      clusters: [{ name: "test", server: this.url, skipTLSVerify: true }],
      users: [{ name: "test", token: "test-token" }],
      contexts: [{ name: "test", cluster: "test", user: "test", namespace: "default" }],
      currentContext: "test",
    };
  }

  async close(): Promise<void> {
    this.gate.release();
    this.closeWatches();
    for (const f of this.store.followers) f.res.end();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Whether a client watches objects of this kind with these labels now. Tests wait for it before
   * changing an object that a client which did not list first would otherwise miss.
   */
  isWatched(kind: Kind, labels: Record<string, string> | undefined): boolean {
    for (const w of this.store.watchers) if (w.kind === kind && matchesLabels(labels, w.labelSelector)) return true;
    return false;
  }

  /** Ends every open watch, as an API server does when its watch timeout passes; clients must watch again. */
  closeWatches(): void {
    for (const w of this.store.watchers) w.res.end();
    this.store.watchers.clear();
  }

  /** New watch requests wait (a slow API server, a network gap) until releaseWatches; lists are still answered. */
  holdWatches(): void {
    this.gate.hold();
  }
  /** How many watch requests of this kind are being held. */
  heldWatches(kind: Kind): number {
    return (this.gate.held ?? []).filter((h) => h.kind === kind).length;
  }
  releaseWatches(): void {
    this.gate.release();
  }

  // ---- what the test reads and drives ----

  jobs(): Obj[] {
    return [...this.store.objects.jobs.values()];
  }
  secrets(): Obj[] {
    return [...this.store.objects.secrets.values()];
  }
  job(name: string, namespace = "default"): Obj | undefined {
    return this.store.objects.jobs.get(`${namespace}/${name}`);
  }
  /** The pod of a Job, in `namespace` or (when not given) in whichever namespace the Job is. */
  podOf(jobName: string, namespace?: string): Obj | undefined {
    return [...this.store.objects.pods.values()].find((p) => (namespace === undefined || p.metadata.namespace === namespace) && p.metadata.labels?.["job-name"] === jobName);
  }
  async waitForJob(match: (job: Obj) => boolean = () => true, timeoutMs = 20_000): Promise<Obj> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.jobs().find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no Job matched within ${timeoutMs} ms; Jobs: ${this.jobs().map((j) => j.metadata.name).join(", ") || "(none)"}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sets the pod's status as a kubelet would report it, and the Job's conditions when it ends. */
  setPodStatus(jobName: string, status: Obj, namespace?: string): Obj {
    const pod = this.podOf(jobName, namespace);
    if (!pod) throw new Error(`Job ${namespace ?? "(any namespace)"}/${jobName} has no pod`);
    pod.status = status;
    this.store.touch("pods", pod, "MODIFIED");
    const job = this.job(jobName, pod.metadata.namespace);
    if (job && (status.phase === "Succeeded" || status.phase === "Failed")) {
      const now = new Date().toISOString();
      job.status = {
        ...(status.phase === "Succeeded"
          ? { succeeded: 1, completionTime: now, conditions: [{ type: "Complete", status: "True", lastTransitionTime: now }] }
          : { failed: 1, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: now }] }),
        startTime: job.status?.startTime ?? now,
      };
      this.store.touch("jobs", job, "MODIFIED");
      for (const f of [...this.store.followers]) if (f.pod === pod.metadata.name) f.res.end();
    }
    return pod;
  }

  podRunning(jobName: string): void {
    const now = new Date().toISOString();
    this.setPodStatus(jobName, { phase: "Running", startTime: now, containerStatuses: [{ name: "flow-run", ready: true, restartCount: 0, image: "x", imageID: "", state: { running: { startedAt: now } } }] });
  }
  podSucceeded(jobName: string): void {
    this.setPodStatus(jobName, { phase: "Succeeded", containerStatuses: [{ name: "flow-run", ready: false, restartCount: 0, image: "x", imageID: "", state: { terminated: { exitCode: 0, reason: "Completed" } } }] });
  }
  podFailed(jobName: string, exitCode = 1): void {
    this.setPodStatus(jobName, { phase: "Failed", containerStatuses: [{ name: "flow-run", ready: false, restartCount: 0, image: "x", imageID: "", state: { terminated: { exitCode, reason: "Error" } } }] });
  }
  podOOMKilled(jobName: string): void {
    this.setPodStatus(jobName, { phase: "Failed", containerStatuses: [{ name: "flow-run", ready: false, restartCount: 0, image: "x", imageID: "", state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }] });
  }
  podEvicted(jobName: string, message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi."): void {
    this.setPodStatus(jobName, { phase: "Failed", reason: "Evicted", message, containerStatuses: [{ name: "flow-run", ready: false, restartCount: 0, image: "x", imageID: "", state: { terminated: { exitCode: 137, reason: "ContainerStatusUnknown" } } }] });
  }
  /** The kubelet cannot pull the image: the container waits with ErrImagePull and a Warning event says why. */
  podImagePullFailing(jobName: string, message: string): void {
    const pod = this.podOf(jobName)!;
    this.store.addEvent(pod, "Failed", message);
    this.setPodStatus(jobName, {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [{ name: "flow-run", ready: false, restartCount: 0, image: "x", imageID: "", state: { waiting: { reason: "ErrImagePull", message } } }],
    });
  }
  podUnschedulable(jobName: string, message: string): void {
    const pod = this.podOf(jobName)!;
    this.store.addEvent(pod, "FailedScheduling", message);
    this.setPodStatus(jobName, { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }] });
  }
  /** Someone runs `kubectl delete job NAME` (background propagation: the Job goes at once). */
  deleteJob(jobName: string, namespace = "default"): void {
    this.store.removeJob(`${namespace}/${jobName}`);
  }
  /** The Job controller gives up on a Job (e.g. activeDeadlineSeconds passed) and ends its pod. */
  failJob(jobName: string, reason: string, message: string, namespace = "default"): void {
    const job = this.job(jobName, namespace)!;
    const now = new Date().toISOString();
    job.status = { ...job.status, active: 0, failed: 1, conditions: [{ type: "Failed", status: "True", reason, message, lastTransitionTime: now }] };
    this.store.touch("jobs", job, "MODIFIED");
  }
  /** Output of the pod's container, sent to followers at once and kept for later reads. */
  appendLog(jobName: string, text: string): void {
    const pod = this.podOf(jobName)!;
    const name = pod.metadata.name as string;
    this.store.logs.set(name, (this.store.logs.get(name) ?? "") + text);
    for (const f of this.store.followers) if (f.pod === name) f.res.write(text);
  }

}

export async function startKubeApiServer(): Promise<KubeApiServer> {
  return new KubeApiServer().start();
}
