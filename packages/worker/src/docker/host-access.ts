import type Docker from "dockerode";
import { exposesEngineSocket, type HostRequest } from "../host-access/host-access.js";
import { GIT_KNOWN_HOSTS_IN_CONTAINER, GIT_SSH_KEY_IN_CONTAINER } from "./container-spec.js";

const HOST_NAMESPACE_MODES = ["PidMode", "IpcMode", "UTSMode", "UsernsMode"] as const;

/** The job variable a bind came from, for a message the user can act on. */
function bindSetting(target: string): string {
  if (target === GIT_SSH_KEY_IN_CONTAINER) return "git_ssh_key_path";
  if (target === GIT_KNOWN_HOSTS_IN_CONTAINER) return "git_known_hosts_path";
  return "volumes";
}

/**
 * What a container create body asks of the host, read from the body itself (not the job
 * variables) so that no template, however written, gets past it. `engineSocket` is the path of
 * the engine this worker talks to, when it is a unix socket.
 */
export function dockerHostRequests(spec: Docker.ContainerCreateOptions, engineSocket?: string): HostRequest[] {
  const host = spec.HostConfig ?? {};
  const requests: HostRequest[] = [];
  if (host.Privileged) requests.push({ kind: "privileged", what: "a privileged container", setting: "privileged" });
  if ((host.CapAdd ?? []).length > 0) requests.push({ kind: "privileged", what: `added capabilities ${host.CapAdd!.join(", ")}`, setting: "CapAdd" });
  if ((host.Devices ?? []).length > 0) requests.push({ kind: "privileged", what: "host devices", setting: "Devices" });
  for (const bind of host.Binds ?? []) {
    const [source = "", target = ""] = bind.split(":");
    // A name, not a path: a Docker volume, which holds nothing of the host's.
    if (!source.startsWith("/")) continue;
    const setting = bindSetting(target);
    if (exposesEngineSocket(source, engineSocket ? [engineSocket] : [])) {
      requests.push({ kind: "dockerSocket", what: `the container engine's socket (a bind mount of ${source})`, setting });
      // The socket itself is what --allow-docker-socket allows; a folder holding it is a host mount too.
      if (/\.sock$/.test(source)) continue;
    }
    requests.push({ kind: "hostMounts", what: `a bind mount of the host's ${source}`, setting });
  }
  for (const mount of host.Mounts ?? []) {
    if (mount.Type === "bind" && mount.Source) requests.push({ kind: "hostMounts", what: `a bind mount of the host's ${mount.Source}`, setting: "Mounts" });
  }
  const network = host.NetworkMode ?? "";
  if (network === "host") requests.push({ kind: "hostNamespaces", what: "the host's network", setting: "network_mode" });
  if (network.startsWith("container:")) requests.push({ kind: "hostNamespaces", what: `the network of another container (${network})`, setting: "network_mode" });
  for (const mode of HOST_NAMESPACE_MODES) {
    const value = String(host[mode] ?? "");
    if (value === "host" || value.startsWith("container:")) requests.push({ kind: "hostNamespaces", what: `the ${value === "host" ? "host's" : "another container's"} ${mode.replace("Mode", "").toUpperCase()} namespace`, setting: mode });
  }
  return requests;
}
