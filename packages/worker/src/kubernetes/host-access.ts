import { exposesEngineSocket, type HostRequest } from "../host-access/host-access.js";

type Obj = Record<string, unknown>;
const isRecord = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const records = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** Capabilities the Pod Security Standards' "baseline" level lets a container add; any other is privileged. */
const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);

const POD = "job_manifest.spec.template.spec";

/**
 * What a Job's pod asks of its node, read from the manifest the worker is about to send (what
 * Pod Security "baseline" forbids): privileged containers and added capabilities, hostPath
 * volumes (the engine's socket among them), host network/PID/IPC, host ports.
 */
export function podHostRequests(manifest: Obj): HostRequest[] {
  const spec = isRecord(manifest.spec) && isRecord(manifest.spec.template) && isRecord(manifest.spec.template.spec) ? manifest.spec.template.spec : {};
  const requests: HostRequest[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (spec[field] === true) requests.push({ kind: "hostNamespaces", what: `the node's ${field.slice(4)} namespace`, setting: `${POD}.${field}` });
  }
  for (const [i, volume] of records(spec.volumes).entries()) {
    if (!isRecord(volume.hostPath)) continue;
    const path = String(volume.hostPath.path ?? "");
    const setting = `${POD}.volumes[${i}].hostPath (volume "${String(volume.name)}")`;
    if (exposesEngineSocket(path)) requests.push({ kind: "dockerSocket", what: `the node's container engine socket (hostPath ${path})`, setting });
    requests.push({ kind: "hostMounts", what: `a hostPath volume of the node's ${path}`, setting });
  }
  for (const list of ["initContainers", "containers", "ephemeralContainers"] as const) {
    for (const [i, container] of records(spec[list]).entries()) {
      const where = `${POD}.${list}[${i}] (container "${String(container.name)}")`;
      const security = isRecord(container.securityContext) ? container.securityContext : {};
      if (security.privileged === true) requests.push({ kind: "privileged", what: "a privileged container", setting: `${where}.securityContext.privileged` });
      const added = isRecord(security.capabilities) && Array.isArray(security.capabilities.add) ? security.capabilities.add.map(String) : [];
      const beyond = added.filter((c) => !BASELINE_CAPABILITIES.has(c.replace(/^CAP_/, "")));
      if (beyond.length > 0) requests.push({ kind: "privileged", what: `added capabilities ${beyond.join(", ")}`, setting: `${where}.securityContext.capabilities.add` });
      for (const port of records(container.ports)) {
        if (port.hostPort !== undefined && port.hostPort !== 0) requests.push({ kind: "hostNamespaces", what: `the node's port ${String(port.hostPort)}`, setting: `${where}.ports.hostPort` });
      }
    }
  }
  return requests;
}
