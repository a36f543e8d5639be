import type { ServerResponse } from "node:http";
import { type Kind, type KubeStore, type Watcher, selects } from "./store.js";

/** Watch requests the test holds back (see KubeApiServer.holdWatches), served when it lets them go. */
export class WatchGate {
  held: Array<{ kind: Kind; serve(): void }> | undefined;

  hold(): void {
    this.held ??= [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const h of held) h.serve();
  }
}

/**
 * A watch stream (newline-delimited JSON). Without a resourceVersion it starts with ADDED for
 * the current objects; with one, it first sends every change after that version (what a client
 * that listed at that version missed), then live changes.
 */
export function serveWatch(store: KubeStore, gate: WatchGate, res: ServerResponse, kind: Kind, namespace: string, query: Record<string, string>): void {
  const serve = () => {
    if (res.destroyed) return;
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    const watcher: Watcher = { kind, namespace, labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, res };
    if (query.resourceVersion) {
      for (const c of store.changesSince(watcher, Number(query.resourceVersion))) res.write(`${JSON.stringify({ type: c.type, object: c.object })}\n`);
    } else {
      for (const o of store.objects[kind].values()) if (selects(watcher, kind, o)) res.write(`${JSON.stringify({ type: "ADDED", object: o })}\n`);
    }
    store.watchers.add(watcher);
    res.on("close", () => store.watchers.delete(watcher));
  };
  if (gate.held) gate.held.push({ kind, serve });
  else serve();
}

/** A pod's log: what it printed so far, then (with follow=true) what it prints until it ends. */
export function serveLog(store: KubeStore, res: ServerResponse, namespace: string, podName: string, query: Record<string, string>, status: (code: number, reason: string, message: string, details?: Record<string, unknown>) => void): void {
  const pod = store.objects.pods.get(`${namespace}/${podName}`);
  if (!pod) return status(404, "NotFound", `pods "${podName}" not found`, { name: podName, kind: "pods" });
  if (pod.status?.phase === "Pending") {
    return status(400, "BadRequest", `container "${query.container ?? "flow-run"}" in pod "${podName}" is waiting to start: ContainerCreating`);
  }
  res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
  res.write(store.logs.get(podName) ?? "");
  const ended = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  if (query.follow !== "true" || ended) return void res.end();
  const follower = { pod: podName, res };
  store.followers.add(follower);
  res.on("close", () => store.followers.delete(follower));
}
