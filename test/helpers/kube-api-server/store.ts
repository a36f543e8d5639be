import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

export type Obj = Record<string, any>;
export type Kind = "jobs" | "pods" | "secrets" | "events";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}
export interface Watcher {
  kind: Kind;
  namespace: string;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  res: ServerResponse;
}
export interface LogFollower {
  pod: string;
  res: ServerResponse;
}
/** One change, as a watch sends it; kept so a watch from a resourceVersion gets what it missed. */
interface Change {
  version: number;
  kind: Kind;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: Obj;
}

export const GROUP: Record<Kind, { group: string; apiVersion: string; kind: string }> = {
  jobs: { group: "batch", apiVersion: "batch/v1", kind: "Job" },
  pods: { group: "", apiVersion: "v1", kind: "Pod" },
  secrets: { group: "", apiVersion: "v1", kind: "Secret" },
  events: { group: "", apiVersion: "v1", kind: "Event" },
};

export function matchesLabels(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
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

export function matchesFields(obj: Obj, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [key, value] = term.split("=") as [string, string];
    const actual = key === "metadata.name" ? obj.metadata?.name : key === "involvedObject.name" ? obj.involvedObject?.name : undefined;
    return actual === value;
  });
}

/** Whether a watch (or a list) of `kind` in `namespace` with these selectors sees `obj`. */
export const selects = (w: Omit<Watcher, "res">, kind: Kind, obj: Obj): boolean =>
  w.kind === kind && w.namespace === obj.metadata.namespace && matchesLabels(obj.metadata.labels, w.labelSelector) && matchesFields(obj, w.fieldSelector);

/** The objects, their history, and who watches them. */
export class KubeStore {
  readonly objects: Record<Kind, Map<string, Obj>> = { jobs: new Map(), pods: new Map(), secrets: new Map(), events: new Map() };
  readonly logs = new Map<string, string>();
  readonly watchers = new Set<Watcher>();
  readonly followers = new Set<LogFollower>();
  readonly history: Change[] = [];
  version = 1000;

  /** Stores a change: a new resourceVersion on the object, sent to every watch that selects it. */
  touch(kind: Kind, obj: Obj, type: Change["type"]): void {
    this.version += 1;
    obj.metadata.resourceVersion = String(this.version);
    const change = { version: this.version, kind, type, object: structuredClone(obj) };
    this.history.push(change);
    for (const w of this.watchers) if (selects(w, kind, obj)) w.res.write(`${JSON.stringify({ type, object: obj })}\n`);
  }

  /** The changes after `version` a watch of these selectors would have seen. */
  changesSince(w: Omit<Watcher, "res">, version: number): Change[] {
    return this.history.filter((c) => c.version > version && selects(w, c.kind, c.object));
  }

  createPod(job: Obj): void {
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
    this.objects.pods.set(`${pod.metadata.namespace}/${name}`, pod);
    this.touch("pods", pod, "ADDED");
  }

  /** Deletes a Job and, at once, what it owns (its pod, its run's Secret). */
  /** Removes the Job at `key` and what it owns; with `uid`, only that Job (a later Job may have taken its name). */
  removeJob(key: string, uid?: string): void {
    const job = this.objects.jobs.get(key);
    if (!job || (uid !== undefined && job.metadata.uid !== uid)) return;
    const owner = job.metadata.uid;
    for (const kind of ["pods", "secrets"] as const) {
      for (const [k, o] of this.objects[kind]) {
        if ((o.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === owner)) {
          this.objects[kind].delete(k);
          this.touch(kind, o, "DELETED");
          if (kind === "pods") for (const f of [...this.followers]) if (f.pod === o.metadata.name) f.res.end();
        }
      }
    }
    this.objects.jobs.delete(key);
    this.touch("jobs", job, "DELETED");
  }

  addEvent(pod: Obj, reason: string, message: string): void {
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
    this.objects.events.set(`${event.metadata.namespace}/${event.metadata.name}`, event);
    this.touch("events", event, "ADDED");
  }
}
