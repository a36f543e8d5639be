/**
 * What a CI checkout says about itself, read from the variables GitLab and GitHub set: runners
 * check out a detached HEAD, so the branch is only known from them.
 */
const CI_BRANCH_VARIABLES = [
  "CI_COMMIT_BRANCH", // GitLab, branch pipelines
  "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", // GitLab, merge request pipelines (CI_COMMIT_BRANCH is unset there)
  "GITHUB_HEAD_REF", // GitHub, pull requests: the source branch (GITHUB_REF_NAME is "N/merge")
  "GITHUB_REF_NAME", // GitHub, pushes
] as const;

export function branchFromCi(env: NodeJS.ProcessEnv): { branch: string; variable: string } | undefined {
  for (const variable of CI_BRANCH_VARIABLES) {
    const branch = env[variable]?.trim();
    if (branch) return { branch, variable };
  }
  return undefined;
}

/**
 * The URL without the user info a runner puts in it: over http(s) both the user and the
 * password are a credential (https://gitlab-ci-token:TOKEN@host/...); over ssh the user is the
 * account (git@) and only a password is dropped. Other forms are returned as they are.
 */
export function withoutUserInfo(url: string): { url: string; stripped: boolean } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, stripped: false };
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  const web = scheme === "https" || scheme === "http";
  if (!(parsed.password || (web && parsed.username))) return { url, stripped: false };
  parsed.password = "";
  if (web) parsed.username = "";
  return { url: parsed.toString(), stripped: true };
}
