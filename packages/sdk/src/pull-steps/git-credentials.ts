import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface GitAuth {
  /** Extra `git -c` arguments (the credential helper). */
  configArgs: string[];
  /** Environment for git: GIT_SSH_COMMAND, the token variable... */
  env: Record<string, string>;
  kind: "ssh-key" | "token" | "none";
  /** Remove the key files. */
  dispose(): void;
}

/** The user name each host expects in front of a token. */
export function tokenUsername(repository: string, explicit?: string): string {
  if (explicit) return explicit;
  const host = (() => {
    try {
      return new URL(repository).hostname;
    } catch {
      return "";
    }
  })();
  if (host.includes("bitbucket")) return "x-token-auth";
  if (host.includes("github")) return "x-access-token";
  return "oauth2"; // GitLab (gitlab.com and self-hosted) and most others
}

const noPrompt = { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "" };

/**
 * The token never touches the disk, the URL or the command line: a credential helper defined
 * inline reads it from an environment variable of the git process only. `credential.helper=`
 * first clears helpers from the machine's own git config.
 */
export function tokenAuth(repository: string, token: string, username?: string): GitAuth {
  const helper = '!f() { test "$1" = get && echo "username=$BATON_GIT_USERNAME" && echo "password=$BATON_GIT_TOKEN"; }; f';
  return {
    kind: "token",
    configArgs: ["-c", "credential.helper=", "-c", `credential.helper=${helper}`],
    env: { ...noPrompt, BATON_GIT_TOKEN: token, BATON_GIT_USERNAME: tokenUsername(repository, username) },
    dispose: () => {},
  };
}

/**
 * The key goes to a private (0600) temporary file used for this clone only, with strict host
 * key checking against the given known_hosts (an empty list refuses every host: never TOFU).
 */
export function sshKeyAuth(privateKey: string | undefined, knownHosts: string | undefined): GitAuth {
  const dir = mkdtempSync(join(tmpdir(), "baton-git-"));
  const parts = ["ssh", "-o BatchMode=yes", "-o StrictHostKeyChecking=yes"];
  if (privateKey) {
    const keyFile = join(dir, "key");
    writeFileSync(keyFile, privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`, { mode: 0o600 });
    parts.push(`-i ${keyFile}`, "-o IdentitiesOnly=yes");
  }
  if (knownHosts !== undefined) {
    const knownHostsFile = join(dir, "known_hosts");
    writeFileSync(knownHostsFile, knownHosts.endsWith("\n") ? knownHosts : `${knownHosts}\n`, { mode: 0o600 });
    parts.push(`-o UserKnownHostsFile=${knownHostsFile}`, "-o GlobalKnownHostsFile=/dev/null");
  }
  return {
    kind: privateKey ? "ssh-key" : "none",
    configArgs: [],
    env: { ...noPrompt, GIT_SSH_COMMAND: parts.join(" ") },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function noAuth(): GitAuth {
  return { kind: "none", configArgs: ["-c", "credential.helper="], env: noPrompt, dispose: () => {} };
}
