/**
 * A repository URL must never carry a credential: it is stored on the server, shown in the UI
 * and printed in logs. Tokens go in `access_token: "{{ baton.secrets.NAME }}"` instead.
 * Returns the problem, or undefined when the URL is clean.
 */
export function repositoryUrlProblem(url: string): string | undefined {
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/; // git@host:org/repo.git: "git" is a user name, not a secret
  if (scp.test(url)) return nameProblem(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    if (/^(\/|\.\.?\/|file:)/.test(url)) return nameProblem(url); // a local path
    return `"${url}" is not a repository URL; use https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git`;
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  if (!["https", "http", "ssh", "git", "file"].includes(scheme)) return `scheme "${scheme}" is not supported; use https, ssh or file`;
  return credentialProblem(parsed, url) ?? nameProblem(url);
}

/** `ssh://git@host/org/repo.git` -> `repo`: the folder a run checks the repository out into. */
export function repositoryName(repository: string): string {
  const last = repository.replace(/[/:]+$/, "").split(/[/:]/).pop() ?? "";
  return last.replace(/\.git$/, "") || "repo";
}

/** `https://host/...git` is named `..`: its checkout folder would be the parent of the run's folder. */
function nameProblem(url: string): string | undefined {
  const name = repositoryName(url);
  if (name === "." || name === "..") return `"${url}" names the repository "${name}", which is not a folder a run can check it out into; give the repository's real URL (https://host/org/repo.git)`;
  return undefined;
}

/**
 * Only the credential check, for URLs kept for people (a deployment's `source.repository`):
 * whatever their form, they must not carry a token either.
 */
export function urlCredentialProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return credentialProblem(parsed, url);
}

function credentialProblem(parsed: URL, url: string): string | undefined {
  const scheme = parsed.protocol.replace(/:$/, "");
  // Over http(s) a user name alone is a token too (https://ghp_xxx@github.com/...); over ssh it is the account (git@).
  if (parsed.password || ((scheme === "https" || scheme === "http") && parsed.username)) {
    return `the URL has a credential inside it (${redactUrl(url)}); remove it and give the token as access_token: "{{ baton.secrets.NAME }}" (baton secret set NAME)`;
  }
  return undefined;
}

/** The URL with any user info replaced, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, "$1****@");
}
