import { BatonError, redactUrl } from "@baton/core/runtime";

/** A git clone failed; the subclass says why and the message says what to fix. */
export class GitCloneError extends BatonError {
  override readonly code: string = "GitCloneError";
  override readonly status: number = 400;
  constructor(message: string, readonly gitOutput = "") {
    super(message);
  }
}
export class GitNotInstalled extends GitCloneError {
  override readonly code = "GitNotInstalled";
}
export class GitHostKeyUnknown extends GitCloneError {
  override readonly code = "GitHostKeyUnknown";
}
export class GitHostKeyChanged extends GitCloneError {
  override readonly code = "GitHostKeyChanged";
}
export class GitKeyRefused extends GitCloneError {
  override readonly code = "GitKeyRefused";
}
export class GitTokenRefused extends GitCloneError {
  override readonly code = "GitTokenRefused";
}
export class GitRepositoryNotFound extends GitCloneError {
  override readonly code = "GitRepositoryNotFound";
}
export class GitRefNotFound extends GitCloneError {
  override readonly code = "GitRefNotFound";
}

export class UnsafeRepositoryName extends GitCloneError {
  override readonly code = "UnsafeRepositoryName";
}
export class GitRedirectRefused extends GitCloneError {
  override readonly code = "GitRedirectRefused";
}

const lastLines = (text: string, n = 6) => text.trim().split("\n").slice(-n).join("\n");

/** Turn what git printed into the error a user can act on. */
export function classifyGitFailure(stderr: string, context: { repository: string; ref?: string; auth: "ssh-key" | "token" | "none" }): GitCloneError {
  const repo = redactUrl(context.repository);
  const detail = `\ngit said:\n${lastLines(stderr)}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    return new GitHostKeyChanged(
      `GitHostKeyChanged: the SSH host key of ${repo} is not the one in known_hosts. If the server's key really changed, ` +
        `update known_hosts in the git_clone step (ssh-keyscan -p PORT HOST prints the new one, check it out of band); otherwise someone may be intercepting the connection.${detail}`,
      stderr,
    );
  }
  if (/No [A-Z0-9-]+ host key is known for|Host key verification failed/.test(stderr)) {
    return new GitHostKeyUnknown(
      `GitHostKeyUnknown: the SSH host key of ${repo} is not in known_hosts, and Baton always checks host keys. ` +
        `Add the server's line (ssh-keyscan -p PORT HOST) as known_hosts in the git_clone step.${detail}`,
      stderr,
    );
  }
  if (/Permission denied \(publickey/.test(stderr)) {
    return new GitKeyRefused(
      context.auth === "ssh-key"
        ? `GitKeyRefused: ${repo} refused the SSH key. Check that the secret in ssh_key holds the private half of a deploy key added to this repository (with read access).${detail}`
        : `GitKeyRefused: ${repo} needs an SSH key and none was given; add ssh_key: "{{ baton.secrets.NAME }}" to the git_clone step.${detail}`,
      stderr,
    );
  }
  if (/The requested URL returned error: 30[1278]/.test(stderr)) {
    return new GitRedirectRefused(
      `GitRedirectRefused: ${repo} answered with a redirect to another URL, and Baton follows no redirect (a token goes only to the host the step names); ` +
        `put the repository's final URL in the git_clone step (git ls-remote URL prints where it moved).${detail}`,
      stderr,
    );
  }
  if (/Authentication failed|could not read Username|could not read Password|The requested URL returned error: 40[13]|terminal prompts disabled/.test(stderr)) {
    return new GitTokenRefused(
      context.auth === "token"
        ? `GitTokenRefused: ${repo} refused the access token. Check that the secret in access_token is valid, not expired, has read_repository scope, and that the username fits the host (set username in the git_clone step).${detail}`
        : `GitTokenRefused: ${repo} needs credentials; add access_token: "{{ baton.secrets.NAME }}" to the git_clone step.${detail}`,
      stderr,
    );
  }
  if (/Remote branch .* not found|couldn't find remote ref|did not match any file\(s\) known to git|unknown revision|not a tree object|reference is not a tree/.test(stderr)) {
    return new GitRefNotFound(`GitRefNotFound: ${context.ref ?? "the requested ref"} does not exist in ${repo}; check branch or commit_sha in the git_clone step.${detail}`, stderr);
  }
  if (/Repository not found|does not appear to be a git repository|repository .* not found|The requested URL returned error: 404|No such file or directory/.test(stderr)) {
    return new GitRepositoryNotFound(`GitRepositoryNotFound: no repository at ${repo}; check the repository URL (and that the credentials can see it).${detail}`, stderr);
  }
  return new GitCloneError(`GitCloneError: cloning ${repo} failed.${detail}`, stderr);
}
