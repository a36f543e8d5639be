import { describe, expect, test } from "vitest";
import { dockerHostRequests } from "../docker/host-access.js";
import { podHostRequests } from "../kubernetes/host-access.js";
import { enforceHostAccess, exposesEngineSocket, HostAccessRefused } from "./host-access.js";

const kinds = (requests: { kind: string }[]) => requests.map((r) => r.kind);

describe("what a container asks of the host", () => {
  test("privileged, bind mounts, git key files, host and container networks, host PID/IPC", () => {
    const requests = dockerHostRequests({
      Image: "x",
      HostConfig: {
        Privileged: true,
        Binds: ["data:/data", "/etc:/host-etc:ro", "/home/w/.ssh/id_ed25519:/run/baton/git/ssh_key:ro"],
        NetworkMode: "host",
        PidMode: "host",
        IpcMode: "container:worker",
      },
    });
    expect(requests.map((r) => [r.kind, r.setting])).toEqual([
      ["privileged", "privileged"],
      ["hostMounts", "volumes"],
      ["hostMounts", "git_ssh_key_path"],
      ["hostNamespaces", "network_mode"],
      ["hostNamespaces", "PidMode"],
      ["hostNamespaces", "IpcMode"],
    ]);
  });

  test("a named volume, the default network and no privilege ask nothing", () => {
    expect(dockerHostRequests({ Image: "x", HostConfig: { Binds: ["cache:/cache:rw"], NetworkMode: "bridge", Privileged: false } })).toEqual([]);
    expect(dockerHostRequests({ Image: "x" })).toEqual([]);
  });

  test("the engine's socket is its own permission; a folder holding it is a host mount as well", () => {
    expect(kinds(dockerHostRequests({ Image: "x", HostConfig: { Binds: ["/var/run/docker.sock:/var/run/docker.sock"] } }))).toEqual(["dockerSocket"]);
    expect(kinds(dockerHostRequests({ Image: "x", HostConfig: { Binds: ["/var/run:/r"] } }))).toEqual(["dockerSocket", "hostMounts"]);
    expect(kinds(dockerHostRequests({ Image: "x", HostConfig: { Binds: ["/tmp/d/docker.sock:/s"] } }, "/tmp/d/docker.sock"))).toEqual(["dockerSocket"]);
    expect(kinds(dockerHostRequests({ Image: "x", HostConfig: { Binds: ["/tmp/d:/d"] } }, "/tmp/d/docker.sock"))).toEqual(["dockerSocket", "hostMounts"]);
    expect(exposesEngineSocket("/")).toBe(true);
    expect(exposesEngineSocket("/var/run/../run/docker.sock")).toBe(true);
    expect(exposesEngineSocket("/srv/data")).toBe(false);
  });
});

describe("what a pod asks of its node", () => {
  const job = (pod: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [{ name: "flow-run", image: "x" }], ...pod } } } });

  test("hostPath (the socket too), host namespaces, privileged and capabilities beyond baseline, host ports", () => {
    const requests = podHostRequests(
      job({
        hostNetwork: true,
        hostPID: true,
        volumes: [{ name: "root", hostPath: { path: "/" } }, { name: "cfg", configMap: { name: "c" } }],
        initContainers: [{ name: "steal", image: "x", securityContext: { privileged: true } }],
        containers: [{ name: "flow-run", image: "x", securityContext: { capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
      }),
    );
    expect(requests.map((r) => r.kind)).toEqual(["hostNamespaces", "hostNamespaces", "dockerSocket", "hostMounts", "privileged", "privileged", "hostNamespaces"]);
    expect(requests[3]!.setting).toBe(`job_manifest.spec.template.spec.volumes[0].hostPath (volume "root")`);
    expect(requests[5]!.what).toBe("added capabilities SYS_ADMIN");
  });

  test("a plain pod asks nothing", () => {
    expect(podHostRequests(job({ volumes: [{ name: "tmp", emptyDir: {} }] }))).toEqual([]);
  });
});

test("enforceHostAccess refuses the first request not allowed, naming the setting and the worker option", () => {
  const requests = dockerHostRequests({ Image: "x", HostConfig: { Binds: ["/etc:/e"], NetworkMode: "host" } });
  expect(() => enforceHostAccess(requests, {}, "docker")).toThrow(HostAccessRefused);
  expect(() => enforceHostAccess(requests, {}, "docker")).toThrow(/asks for a bind mount of the host's \/etc \(volumes\), which this worker refuses; .* --allow-host-mounts/);
  expect(() => enforceHostAccess(requests, { hostMounts: true }, "docker")).toThrow(/the host's network \(network_mode\).*--allow-host-namespaces/);
  expect(() => enforceHostAccess(requests, { hostMounts: true, hostNamespaces: true }, "docker")).not.toThrow();
});
