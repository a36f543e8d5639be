import { posix } from "node:path";
import { BatonError } from "@baton/core/runtime";

/**
 * What runs of this worker may take from the host it runs on (or the node, on Kubernetes). All
 * refused unless the worker was started allowing it: a deployer's key sets job variables, and
 * none of these may follow from a key that can deploy (as a GitLab runner's config.toml decides,
 * never a CI job).
 */
export interface HostAccess {
  /** Privileged containers, added capabilities, devices (`--allow-privileged`). */
  privileged?: boolean;
  /** Bind mounts and hostPath volumes, the Docker pool's git key files included (`--allow-host-mounts`). */
  hostMounts?: boolean;
  /** Host network, PID, IPC or UTS namespaces, another container's network, host ports (`--allow-host-namespaces`). */
  hostNamespaces?: boolean;
  /** The container engine's socket (or a folder holding it): root on the host, so allowed on its own (`--allow-docker-socket`). */
  dockerSocket?: boolean;
}

const OPTIONS: Record<keyof HostAccess, string> = {
  privileged: "--allow-privileged",
  hostMounts: "--allow-host-mounts",
  hostNamespaces: "--allow-host-namespaces",
  dockerSocket: "--allow-docker-socket",
};

export class HostAccessRefused extends BatonError {
  override readonly code = "HostAccessRefused";
  override readonly status = 403;
}

/** One thing a job configuration asks of the host: what it is, which setting asked, which option would allow it. */
export interface HostRequest {
  kind: keyof HostAccess;
  /** e.g. `a bind mount of /etc`. */
  what: string;
  /** The job variable or manifest field that asked: `volumes`, `job_manifest.spec.template.spec.hostNetwork`. */
  setting: string;
}

/** Refuse the first request this worker does not allow, naming the setting and both ways out. */
export function enforceHostAccess(requests: HostRequest[], allow: HostAccess, infrastructure: string): void {
  const refused = requests.find((r) => allow[r.kind] !== true);
  if (!refused) return;
  throw new HostAccessRefused(
    `HostAccessRefused: the ${infrastructure} job configuration asks for ${refused.what} (${refused.setting}), which this worker refuses; ` +
      `remove it from the pool's base job template or the deployment's job_variables, or start the worker with ${OPTIONS[refused.kind]} if this pool's runs may have that access to the host`,
  );
}

/** Container engine sockets on a host or node. */
const ENGINE_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/podman/podman.sock"];

/** A host path that is an engine's socket, or a folder that holds one (`/`, `/var/run`). */
export function exposesEngineSocket(hostPath: string, extraSockets: string[] = []): boolean {
  const path = posix.resolve("/", hostPath);
  if (/\.sock$/.test(path) && /(docker|containerd|crio|podman)/.test(posix.basename(path))) return true;
  return [...ENGINE_SOCKETS, ...extraSockets].some((socket) => socket === path || socket.startsWith(path === "/" ? "/" : `${path}/`));
}
