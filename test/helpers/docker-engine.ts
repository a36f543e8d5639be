import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./tmp.js";

/**
 * A real Docker engine for one test file: its own dockerd with its own data root, exec root and
 * socket, no iptables and no bridge (host and none networking work), so it touches nothing of
 * the machine's. Needs root and the docker.io package (see ../../.ci/run).
 */
export interface DockerEngine {
  /** `unix:///tmp/.../docker.sock`, for DOCKER_HOST. */
  host: string;
  /** `docker --host ... ARGS`; throws with docker's output when it fails. */
  docker(args: string[], input?: Buffer): string;
  /** Import a 2 MB image made of the host's busybox (sh, sleep, cat...), with /tmp and a root home. */
  importBusybox(tag: string): void;
  /** Names of the containers on the engine, stopped ones included. */
  containers(): string[];
  stop(): Promise<void>;
}

/** Why no engine can be started here, or undefined when dockerd is installed and we are root. */
export function dockerUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return "dockerd needs root";
  if (!existsSync("/usr/sbin/dockerd") && spawnSync("which", ["dockerd"]).status !== 0) return "dockerd is not installed (apt-get install docker.io busybox-static)";
  if (spawnSync("which", ["docker"]).status !== 0) return "the docker CLI is not installed (apt-get install docker.io)";
  if (!existsSync("/bin/busybox") && !existsSync("/usr/bin/busybox")) return "busybox is not installed (apt-get install busybox-static)";
  return undefined;
}

async function waitReady(host: string, daemon: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited with code ${daemon.exitCode}:\n${log()}`);
    if (spawnSync("docker", ["--host", host, "version", "--format", "{{.Server.Version}}"]).status === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`dockerd did not answer on ${host} within ${timeoutMs} ms:\n${log()}`);
}

/** `extraArgs` go to dockerd after the defaults (e.g. a TLS listener: see docker-tls.ts). */
export async function startDockerEngine(options: { extraArgs?: string[] } = {}): Promise<DockerEngine> {
  const dir = tempDir("baton-docker-");
  const D = dir.path;
  const host = `unix://${join(D, "docker.sock")}`;
  const daemon = spawn(
    "dockerd",
    [
      "--data-root", join(D, "data"),
      "--exec-root", join(D, "exec"),
      "--pidfile", join(D, "docker.pid"),
      "-H", host,
      "--iptables=false",
      "--ip6tables=false",
      "--bridge=none",
      "--storage-driver=overlay2",
      ...(options.extraArgs ?? []),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  daemon.stdout!.on("data", (d) => (log += d));
  daemon.stderr!.on("data", (d) => (log += d));
  const closed = new Promise<void>((resolve) => daemon.once("close", () => resolve()));

  const stop = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      // Containers first, so that dockerd does not wait on them while shutting down.
      spawnSync("sh", ["-c", `docker --host ${host} ps -aq | xargs -r docker --host ${host} rm -f`], { stdio: "ignore" });
      daemon.kill("SIGTERM");
      const timer = setTimeout(() => daemon.kill("SIGKILL"), 20_000);
      await closed;
      clearTimeout(timer);
    }
    // dockerd leaves its network namespace mounted; deleting the folder under it would fail.
    spawnSync("umount", [join(D, "exec", "netns", "default")], { stdio: "ignore" });
    spawnSync("sh", ["-c", `grep -o " ${D}/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`], { stdio: "ignore" });
    dir.remove();
  };
  try {
    await waitReady(host, daemon, () => log);
  } catch (error) {
    await stop();
    throw error;
  }

  const docker = (args: string[], input?: Buffer) => {
    try {
      return execFileSync("docker", ["--host", host, ...args], { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 }).trim();
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`docker ${args.join(" ")} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
  return {
    host,
    docker,
    importBusybox(tag) {
      const root = join(D, "image-root");
      mkdirSync(join(root, "bin"), { recursive: true });
      mkdirSync(join(root, "tmp"), { recursive: true, mode: 0o1777 });
      mkdirSync(join(root, "root"), { recursive: true });
      mkdirSync(join(root, "etc"), { recursive: true });
      const busybox = existsSync("/bin/busybox") ? "/bin/busybox" : "/usr/bin/busybox";
      execFileSync("cp", [busybox, join(root, "bin", "busybox")]);
      for (const applet of execFileSync(busybox, ["--list"], { encoding: "utf8" }).split("\n")) {
        if (applet && applet !== "busybox" && !existsSync(join(root, "bin", applet))) symlinkSync("busybox", join(root, "bin", applet));
      }
      writeFileSync(join(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
      writeFileSync(join(root, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
      const tar = execFileSync("tar", ["-C", root, "-c", "."], { maxBuffer: 64 * 1024 * 1024 });
      docker(["import", "-c", 'CMD ["/bin/sh"]', "-c", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "-", tag], tar);
    },
    containers: () => docker(["ps", "-a", "--format", "{{.Names}}"]).split("\n").filter(Boolean),
    stop,
  };
}
