import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "node:net";
import { freePort, tempDir } from "./tmp.js";
import { bareCopy } from "./git-repo.js";

/**
 * A real sshd on 127.0.0.1 serving bare repositories to a `git` user whose shell is git-shell,
 * with a deploy key, exactly as a GitLab deploy key works. Needs root and openssh-server.
 */
export interface SshGitServer {
  port: number;
  /** `ssh://git@127.0.0.1:PORT/abs/path/name.git` */
  url(name: string): string;
  /** The deploy key's private half (what a user stores as a Baton secret). */
  deployKey: string;
  /** A key the server does not accept. */
  otherKey: string;
  /** The known_hosts line for this server. */
  knownHosts: string;
  /** A known_hosts line with another host key for the same address: what a changed host key looks like. */
  wrongKnownHosts: string;
  addRepo(name: string, workRepo: string): void;
  stop(): Promise<void>;
}

function ensureGitUser(): void {
  try {
    execFileSync("id", ["git"], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--create-home", "--shell", "/usr/bin/git-shell", "git"]);
  }
  // sshd refuses the locked account useradd leaves.
  execFileSync("usermod", ["-p", "*", "git"]);
  mkdirSync("/run/sshd", { recursive: true });
}

function keygen(path: string): string {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "baton-test", "-f", path]);
  return readFileSync(path, "utf8");
}

function waitPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = createConnection({ host: "127.0.0.1", port }, () => {
        s.destroy();
        resolve();
      });
      s.on("error", () => (Date.now() > deadline ? reject(new Error(`sshd did not listen on ${port}`)) : setTimeout(attempt, 50)));
    };
    attempt();
  });
}

export async function startSshGitServer(): Promise<SshGitServer> {
  ensureGitUser();
  const dir = tempDir("baton-sshd-");
  chmodSync(dir.path, 0o755);
  const repos = join(dir.path, "repos");
  mkdirSync(repos);
  const port = await freePort();
  const hostKeyPath = join(dir.path, "host_ed25519");
  keygen(hostKeyPath);
  const otherHostKey = keygen(join(dir.path, "other_host_ed25519"));
  void otherHostKey;
  const deployKey = keygen(join(dir.path, "deploy_key"));
  const otherKey = keygen(join(dir.path, "other_key"));
  writeFileSync(join(dir.path, "authorized_keys"), `restrict ${readFileSync(join(dir.path, "deploy_key.pub"), "utf8")}`);
  chmodSync(join(dir.path, "authorized_keys"), 0o644);
  const config = join(dir.path, "sshd_config");
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir.path, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir.path, "authorized_keys")}`,
      "StrictModes no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "AllowUsers git",
      "UsePAM no",
      "LogLevel ERROR",
    ].join("\n") + "\n",
  );
  const sshd: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  sshd.stderr!.on("data", (d) => (log += d));
  try {
    await waitPort(port);
  } catch (error) {
    sshd.kill();
    throw new Error(`${(error as Error).message}: ${log}`);
  }
  const hostPub = readFileSync(`${hostKeyPath}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ");
  const otherPub = readFileSync(join(dir.path, "other_host_ed25519.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ");
  return {
    port,
    url: (name) => `ssh://git@127.0.0.1:${port}${join(repos, `${name}.git`)}`,
    deployKey,
    otherKey,
    knownHosts: `[127.0.0.1]:${port} ${hostPub}`,
    wrongKnownHosts: `[127.0.0.1]:${port} ${otherPub}`,
    addRepo(name, workRepo) {
      const bare = join(repos, `${name}.git`);
      bareCopy(workRepo, bare);
      execFileSync("chown", ["-R", "git:git", bare]);
    },
    async stop() {
      if (sshd.exitCode === null) {
        const closed = new Promise((r) => sshd.once("close", r));
        sshd.kill("SIGTERM");
        await closed;
      }
      dir.remove();
    },
  };
}
