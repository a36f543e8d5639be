import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { GROUP, type Kind, type KubeStore, type Obj, type RecordedRequest, matchesFields, matchesLabels } from "./store.js";
import { serveLog, serveWatch, type WatchGate } from "./watch.js";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** A `Status` body, shaped as the real API server sends it. */
function status(res: ServerResponse, code: number, reason: string, message: string, details: Obj = {}): void {
  send(res, code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code });
}

/** One request of the REST protocol, recorded in `requests`. */
export async function handle(store: KubeStore, gate: WatchGate, requests: RecordedRequest[], baseUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", baseUrl);
  const query = Object.fromEntries(url.searchParams);
  let raw = "";
  for await (const chunk of req) raw += chunk;
  const body = raw ? JSON.parse(raw) : undefined;
  requests.push({ method: req.method ?? "GET", path: url.pathname, query, body });
  const m = /^\/(?:api\/v1|apis\/batch\/v1)\/namespaces\/([^/]+)\/(jobs|pods|secrets|events)(?:\/([^/]+))?(?:\/(log))?$/.exec(url.pathname);
  if (!m) return status(res, 404, "NotFound", "the server could not find the requested resource");
  const [, namespace, kind, name, sub] = m as unknown as [string, string, Kind, string | undefined, string | undefined];
  const { group, apiVersion } = GROUP[kind];
  const resource = group ? `${kind}.${group}` : kind;
  const key = `${namespace}/${name}`;
  const objects = store.objects[kind];

  if (sub === "log") return serveLog(store, res, namespace, name!, query, (code, reason, message, details) => status(res, code, reason, message, details));
  if (req.method === "GET" && !name && query.watch === "true") return serveWatch(store, gate, res, kind, namespace, query);
  if (req.method === "GET" && !name) {
    const items = [...objects.values()].filter((o) => o.metadata.namespace === namespace && matchesLabels(o.metadata.labels, query.labelSelector) && matchesFields(o, query.fieldSelector));
    return send(res, 200, { kind: `${GROUP[kind].kind}List`, apiVersion, metadata: { resourceVersion: String(store.version) }, items });
  }
  if (req.method === "GET") {
    const found = objects.get(key);
    return found ? send(res, 200, found) : status(res, 404, "NotFound", `${resource} "${name}" not found`, { name, group, kind });
  }
  if (req.method === "POST" && !name && (kind === "jobs" || kind === "secrets")) {
    const objName = body?.metadata?.name;
    if (typeof objName !== "string" || !DNS1123_SUBDOMAIN.test(objName)) {
      const k = GROUP[kind].kind;
      return status(res, 422, "Invalid", `${k}${group ? `.${group}` : ""} "${objName ?? ""}" is invalid: metadata.name: Invalid value: "${objName ?? ""}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`, {
        name: objName,
        group,
        kind: k,
        causes: [{ reason: "FieldValueInvalid", message: `Invalid value: "${objName ?? ""}"`, field: "metadata.name" }],
      });
    }
    const objKey = `${namespace}/${objName}`;
    if (objects.has(objKey)) return status(res, 409, "AlreadyExists", `${resource} "${objName}" already exists`, { name: objName, group, kind });
    const obj: Obj = { ...body, apiVersion, kind: GROUP[kind].kind, metadata: { ...body.metadata, namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString() } };
    if (kind === "secrets" && obj.stringData) {
      obj.data = Object.fromEntries(Object.entries(obj.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
      delete obj.stringData;
    }
    if (kind === "jobs") obj.status = { active: 1, startTime: new Date().toISOString() };
    objects.set(objKey, obj);
    store.touch(kind, obj, "ADDED");
    if (kind === "jobs") store.createPod(obj);
    return send(res, 201, obj);
  }
  if (req.method === "DELETE" && name) {
    const found = objects.get(key);
    if (!found) return status(res, 404, "NotFound", `${resource} "${name}" not found`, { name, group, kind });
    const policy = query.propagationPolicy ?? body?.propagationPolicy ?? "Background";
    if (kind === "jobs" && policy === "Foreground") {
      // Foreground: the Job stays, marked for deletion, until its pods are gone; then it goes.
      found.metadata.deletionTimestamp = new Date().toISOString();
      found.metadata.finalizers = ["foregroundDeletion"];
      store.touch("jobs", found, "MODIFIED");
      // As in Kubernetes, the deletion is of this Job (its uid), not of whichever Job later takes its name.
      const uid = found.metadata.uid as string;
      setTimeout(() => store.removeJob(key, uid), 100);
      return send(res, 200, found);
    }
    if (kind === "jobs") store.removeJob(key);
    else {
      objects.delete(key);
      store.touch(kind, found, "DELETED");
    }
    return send(res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, group, kind, uid: found.metadata.uid } });
  }
  return status(res, 405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${req.method} ${url.pathname} is not implemented by the test server)`);
}
