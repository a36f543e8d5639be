import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
 * owned Secrets happens at once when their Job is deleted; resourceVersion only orders events
 * (a watch given one starts from now, without replaying history); no PATCH, no field selectors
 * other than metadata.name and involvedObject.name, no protobuf, no TLS.
 */

type Obj = Record<string, any>;
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}
type Kind = "jobs" | "pods" | "secrets" | "events";
interface Watcher {
  kind: Kind;
  namespace: string;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  res: ServerResponse;
}
interface LogFollower {
  pod: string;
  res: ServerResponse;
}

const GROUP: Record<Kind, { group: string; apiVersion: string; kind: string }> = {
  jobs: { group: "batch", apiVersion: "batch/v1", kind: "Job" },
  pods: { group: "", apiVersion: "v1", kind: "Pod" },
  secrets: { group: "", apiVersion: "v1", kind: "Secret" },
  events: { group: "", apiVersion: "v1", kind: "Event" },
};
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function matchesLabels(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const t = term.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^!=]+)!=(.*)$/.exec(t))) return labels?.[m[1]!.trim()] !== m[2]!.trim();
    if ((m = /^([^!=]+)==?(.*)$/.exec(t))) return labels?.[m[1]!.trim()] === m[2]!.trim();
    if (t.startsWith("!")) return labels?.[t.slice(1)] === undefined;
    return labels?.[t] !== undefined;
  });
}

function matchesFields(obj: Obj, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [key, value] = term.split("=") as [string, string];
    const actual = key === "metadata.name" ? obj.metadata?.name : key === "involvedObject.name" ? obj.involvedObject?.name : undefined;
    return actual === value;
  });
}

export class KubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly store: Record<Kind, Map<string, Obj>> = { jobs: new Map(), pods: new Map(), secrets: new Map(), events: new Map() };
  private readonly logs = new Map<string, string>();
  private readonly watchers = new Set<Watcher>();
  private readonly followers = new Set<LogFollower>();
  private resourceVersion = 1000;
  private server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
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
    this.closeWatches();
    for (const f of this.followers) f.res.end();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Whether a client watches objects of this kind with these labels now. Tests wait for it before
   * changing an object: this server does not replay history to a watch that opens later.
   */
  isWatched(kind: Kind, labels: Record<string, string> | undefined): boolean {
    for (const w of this.watchers) if (w.kind === kind && matchesLabels(labels, w.labelSelector)) return true;
    return false;
  }

  /** Ends every open watch, as an API server does when its watch timeout passes; clients must watch again. */
  closeWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  // ---- what the test reads and drives ----

  jobs(): Obj[] {
    return [...this.store.jobs.values()];
  }
  secrets(): Obj[] {
    return [...this.store.secrets.values()];
  }
  job(name: string, namespace = "default"): Obj | undefined {
    return this.store.jobs.get(`${namespace}/${name}`);
  }
  /** The pod of a Job, in `namespace` or (when not given) in whichever namespace the Job is. */
  podOf(jobName: string, namespace?: string): Obj | undefined {
    return [...this.store.pods.values()].find((p) => (namespace === undefined || p.metadata.namespace === namespace) && p.metadata.labels?.["job-name"] === jobName);
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
    this.touch("pods", pod, "MODIFIED");
    const job = this.job(jobName, pod.metadata.namespace);
    if (job && (status.phase === "Succeeded" || status.phase === "Failed")) {
      const now = new Date().toISOString();
      job.status = {
        ...(status.phase === "Succeeded"
          ? { succeeded: 1, completionTime: now, conditions: [{ type: "Complete", status: "True", lastTransitionTime: now }] }
          : { failed: 1, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: now }] }),
        startTime: job.status?.startTime ?? now,
      };
      this.touch("jobs", job, "MODIFIED");
      for (const f of [...this.followers]) if (f.pod === pod.metadata.name) f.res.end();
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
    this.addEvent(pod, "Failed", message);
    this.setPodStatus(jobName, {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [{ name: "flow-run", ready: false, restartCount: 0, image: "x", imageID: "", state: { waiting: { reason: "ErrImagePull", message } } }],
    });
  }
  podUnschedulable(jobName: string, message: string): void {
    const pod = this.podOf(jobName)!;
    this.addEvent(pod, "FailedScheduling", message);
    this.setPodStatus(jobName, { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }] });
  }
  /** Someone runs `kubectl delete job NAME` (background propagation: the Job goes at once). */
  deleteJob(jobName: string, namespace = "default"): void {
    this.removeJob(`${namespace}/${jobName}`);
  }
  /** The Job controller gives up on a Job (e.g. activeDeadlineSeconds passed) and ends its pod. */
  failJob(jobName: string, reason: string, message: string, namespace = "default"): void {
    const job = this.job(jobName, namespace)!;
    const now = new Date().toISOString();
    job.status = { ...job.status, active: 0, failed: 1, conditions: [{ type: "Failed", status: "True", reason, message, lastTransitionTime: now }] };
    this.touch("jobs", job, "MODIFIED");
  }
  /** Output of the pod's container, sent to followers at once and kept for later reads. */
  appendLog(jobName: string, text: string): void {
    const pod = this.podOf(jobName)!;
    const name = pod.metadata.name as string;
    this.logs.set(name, (this.logs.get(name) ?? "") + text);
    for (const f of this.followers) if (f.pod === name) f.res.write(text);
  }

  // ---- the REST protocol ----

  private nextVersion(): string {
    return String(++this.resourceVersion);
  }

  private touch(kind: Kind, obj: Obj, type: "ADDED" | "MODIFIED" | "DELETED"): void {
    obj.metadata.resourceVersion = this.nextVersion();
    for (const w of this.watchers) {
      if (w.kind === kind && w.namespace === obj.metadata.namespace && matchesLabels(obj.metadata.labels, w.labelSelector) && matchesFields(obj, w.fieldSelector)) {
        w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
      }
    }
  }

  private addEvent(pod: Obj, reason: string, message: string): void {
    const now = new Date().toISOString();
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${pod.metadata.name}.${randomUUID().slice(0, 8)}`, namespace: pod.metadata.namespace, uid: randomUUID(), creationTimestamp: now },
      involvedObject: { kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
      reason,
      message,
      type: "Warning",
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: reason === "FailedScheduling" ? "default-scheduler" : "kubelet" },
    };
    this.store.events.set(`${event.metadata.namespace}/${event.metadata.name}`, event);
    this.touch("events", event, "ADDED");
  }

  private status(res: ServerResponse, code: number, reason: string, message: string, details: Obj = {}): void {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code }));
  }

  private send(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const query = Object.fromEntries(url.searchParams);
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({ method: req.method ?? "GET", path: url.pathname, query, body });
    const m = /^\/(?:api\/v1|apis\/batch\/v1)\/namespaces\/([^/]+)\/(jobs|pods|secrets|events)(?:\/([^/]+))?(?:\/(log))?$/.exec(url.pathname);
    if (!m) return this.status(res, 404, "NotFound", "the server could not find the requested resource");
    const [, namespace, kind, name, sub] = m as unknown as [string, string, Kind, string | undefined, string | undefined];
    const { group, apiVersion } = GROUP[kind];
    const resource = group ? `${kind}.${group}` : kind;
    const key = `${namespace}/${name}`;

    if (sub === "log") return this.serveLog(res, namespace, name!, query);
    if (req.method === "GET" && !name && query.watch === "true") return this.serveWatch(res, kind, namespace, query);
    if (req.method === "GET" && !name) {
      const items = [...this.store[kind].values()].filter((o) => o.metadata.namespace === namespace && matchesLabels(o.metadata.labels, query.labelSelector) && matchesFields(o, query.fieldSelector));
      return this.send(res, 200, { kind: `${GROUP[kind].kind}List`, apiVersion, metadata: { resourceVersion: String(this.resourceVersion) }, items });
    }
    if (req.method === "GET") {
      const found = this.store[kind].get(key);
      return found ? this.send(res, 200, found) : this.status(res, 404, "NotFound", `${resource} "${name}" not found`, { name, group, kind });
    }
    if (req.method === "POST" && !name && (kind === "jobs" || kind === "secrets")) {
      const objName = body?.metadata?.name;
      if (typeof objName !== "string" || !DNS1123_SUBDOMAIN.test(objName)) {
        const k = GROUP[kind].kind;
        return this.status(res, 422, "Invalid", `${k}${group ? `.${group}` : ""} "${objName ?? ""}" is invalid: metadata.name: Invalid value: "${objName ?? ""}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`, {
          name: objName,
          group,
          kind: k,
          causes: [{ reason: "FieldValueInvalid", message: `Invalid value: "${objName ?? ""}"`, field: "metadata.name" }],
        });
      }
      const objKey = `${namespace}/${objName}`;
      if (this.store[kind].has(objKey)) return this.status(res, 409, "AlreadyExists", `${resource} "${objName}" already exists`, { name: objName, group, kind });
      const obj: Obj = { ...body, apiVersion, kind: GROUP[kind].kind, metadata: { ...body.metadata, namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString() } };
      if (kind === "secrets" && obj.stringData) {
        obj.data = Object.fromEntries(Object.entries(obj.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
        delete obj.stringData;
      }
      if (kind === "jobs") obj.status = { active: 1, startTime: new Date().toISOString() };
      this.store[kind].set(objKey, obj);
      this.touch(kind, obj, "ADDED");
      if (kind === "jobs") this.createPod(obj);
      return this.send(res, 201, obj);
    }
    if (req.method === "DELETE" && name) {
      const found = this.store[kind].get(key);
      if (!found) return this.status(res, 404, "NotFound", `${resource} "${name}" not found`, { name, group, kind });
      const policy = query.propagationPolicy ?? body?.propagationPolicy ?? "Background";
      if (kind === "jobs" && policy === "Foreground") {
        // Foreground: the Job stays, marked for deletion, until its pods are gone; then it goes.
        found.metadata.deletionTimestamp = new Date().toISOString();
        found.metadata.finalizers = ["foregroundDeletion"];
        this.touch("jobs", found, "MODIFIED");
        setTimeout(() => this.removeJob(key), 100);
        return this.send(res, 200, found);
      }
      if (kind === "jobs") this.removeJob(key);
      else {
        this.store[kind].delete(key);
        this.touch(kind, found, "DELETED");
      }
      return this.send(res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, group, kind, uid: found.metadata.uid } });
    }
    return this.status(res, 405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${req.method} ${url.pathname} is not implemented by the test server)`);
  }

  private createPod(job: Obj): void {
    const template = job.spec?.template ?? {};
    const name = `${job.metadata.name}-${randomUUID().slice(0, 5)}`;
    const pod: Obj = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: job.metadata.namespace,
        uid: randomUUID(),
        creationTimestamp: new Date().toISOString(),
        labels: { ...(template.metadata?.labels ?? {}), "job-name": job.metadata.name, "batch.kubernetes.io/job-name": job.metadata.name, "controller-uid": job.metadata.uid },
        ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: template.spec,
      status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }] },
    };
    this.store.pods.set(`${pod.metadata.namespace}/${name}`, pod);
    this.touch("pods", pod, "ADDED");
  }

  private removeJob(key: string): void {
    const job = this.store.jobs.get(key);
    if (!job) return;
    const uid = job.metadata.uid;
    for (const kind of ["pods", "secrets"] as const) {
      for (const [k, o] of this.store[kind]) {
        if ((o.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === uid)) {
          this.store[kind].delete(k);
          this.touch(kind, o, "DELETED");
          if (kind === "pods") for (const f of [...this.followers]) if (f.pod === o.metadata.name) f.res.end();
        }
      }
    }
    this.store.jobs.delete(key);
    this.touch("jobs", job, "DELETED");
  }

  private serveWatch(res: ServerResponse, kind: Kind, namespace: string, query: Record<string, string>): void {
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    const watcher: Watcher = { kind, namespace, labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, res };
    if (!query.resourceVersion) {
      for (const o of this.store[kind].values()) {
        if (o.metadata.namespace === namespace && matchesLabels(o.metadata.labels, query.labelSelector) && matchesFields(o, query.fieldSelector)) res.write(`${JSON.stringify({ type: "ADDED", object: o })}\n`);
      }
    }
    this.watchers.add(watcher);
    res.on("close", () => this.watchers.delete(watcher));
  }

  private serveLog(res: ServerResponse, namespace: string, podName: string, query: Record<string, string>): void {
    const pod = this.store.pods.get(`${namespace}/${podName}`);
    if (!pod) return this.status(res, 404, "NotFound", `pods "${podName}" not found`, { name: podName, kind: "pods" });
    if (pod.status?.phase === "Pending") {
      return this.status(res, 400, "BadRequest", `container "${query.container ?? "flow-run"}" in pod "${podName}" is waiting to start: ContainerCreating`);
    }
    res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
    res.write(this.logs.get(podName) ?? "");
    const ended = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
    if (query.follow !== "true" || ended) return void res.end();
    const follower = { pod: podName, res };
    this.followers.add(follower);
    res.on("close", () => this.followers.delete(follower));
  }
}

export async function startKubeApiServer(): Promise<KubeApiServer> {
  return new KubeApiServer().start();
}
