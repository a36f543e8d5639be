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
 * For every clone: no credential helper of the machine's git config, and no HTTP redirect
 * followed. A redirect moves the clone (and the credential request after it) to a URL the step
 * never named; the repository URL must be the final one.
 */
const COMMON_CONFIG = ["-c", "credential.helper=", "-c", "http.followRedirects=false"];

/** `https://gitlab.example.com:8443/org/repo.git` -> protocol `https`, host `gitlab.example.com:8443`, as git names them to a credential helper. */
export function credentialTarget(repository: string): { protocol: string; host: string } | undefined {
  const m = /^(https?):\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(repository);
  return m ? { protocol: m[1]!.toLowerCase(), host: m[2]! } : undefined;
}

/**
 * Answers git's `get` with the token only when git asks for the protocol and host the step
 * names: a submodule or any other URL elsewhere gets nothing (git then fails there, with no
 * token sent). The helper is also scoped to that URL in git's own config, so git does not even
 * ask it for another host; the check inside is the second lock.
 */
const HELPER =
  '!f() { test "$1" = get || exit 0; p=; h=; while IFS= read -r l; do case "$l" in protocol=*) p="${l#protocol=}";; host=*) h="${l#host=}";; "") break;; esac; done; ' +
  'test "$p" = "$BATON_GIT_PROTOCOL" && test "$h" = "$BATON_GIT_HOST" || exit 0; echo "username=$BATON_GIT_USERNAME"; echo "password=$BATON_GIT_TOKEN"; }; f';

/**
 * The token never touches the disk, the URL or the command line: a credential helper defined
 * inline reads it from an environment variable of the git process only, and gives it to the
 * repository's own protocol and host (and port) only.
 */
export function tokenAuth(repository: string, token: string, username?: string): GitAuth {
  const target = credentialTarget(repository);
  if (!target) throw new TypeError(`an access token needs an http(s) repository URL, not ${repository}`);
  return {
    kind: "token",
    configArgs: [...COMMON_CONFIG, "-c", `credential.${target.protocol}://${target.host}.helper=${HELPER}`],
    env: { ...noPrompt, BATON_GIT_TOKEN: token, BATON_GIT_USERNAME: tokenUsername(repository, username), BATON_GIT_PROTOCOL: target.protocol, BATON_GIT_HOST: target.host },
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
    configArgs: COMMON_CONFIG,
    env: { ...noPrompt, GIT_SSH_COMMAND: parts.join(" ") },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function noAuth(): GitAuth {
  return { kind: "none", configArgs: COMMON_CONFIG, env: noPrompt, dispose: () => {} };
}
