import { z } from "zod";
import { repositoryUrlProblem } from "./repository-url.js";

const stepId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "use letters, digits, '_' and '-'").optional();

const repository = z.string().min(1).superRefine((url, ctx) => {
  const problem = repositoryUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const GitCloneStepSchema = z
  .object({
    id: stepId,
    repository,
    branch: z.string().min(1).optional(),
    commit_sha: z.string().regex(/^[0-9a-f]{7,40}$/i, "must be a commit hash (7 to 40 hex digits)").optional(),
    include_submodules: z.boolean().default(false),
    /** Sparse checkout: only these folders. */
    directories: z.array(z.string().min(1)).optional(),
    /** HTTPS token, as `{{ baton.secrets.NAME }}`: handed to git by a credential helper, never in the URL. */
    access_token: z.string().min(1).optional(),
    /** User name sent with the token; by default the one the host expects (GitLab oauth2, Bitbucket x-token-auth, GitHub the token). */
    username: z.string().min(1).optional(),
    /** Private key, as `{{ baton.secrets.NAME }}`: written to a 0600 temporary file for the clone only. */
    ssh_key: z.string().min(1).optional(),
    /** known_hosts lines for the host: host keys are always checked. */
    known_hosts: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.branch && s.commit_sha) ctx.addIssue({ code: "custom", path: ["commit_sha"], message: "give branch or commit_sha, not both" });
    if (s.access_token && s.ssh_key) ctx.addIssue({ code: "custom", path: ["ssh_key"], message: "give access_token (HTTPS) or ssh_key (SSH), not both" });
    const isSsh = /^(ssh:\/\/|[A-Za-z0-9._-]+@[^:/]+:)/.test(s.repository);
    if (s.ssh_key && !isSsh) ctx.addIssue({ code: "custom", path: ["ssh_key"], message: "ssh_key needs an SSH repository URL (git@host:org/repo.git or ssh://...)" });
    if (s.access_token && !/^https?:\/\//.test(s.repository)) ctx.addIssue({ code: "custom", path: ["access_token"], message: "access_token needs an https:// repository URL" });
  });

export const SetWorkingDirectoryStepSchema = z.object({ id: stepId, directory: z.string().min(1) }).strict();

export const RunShellScriptStepSchema = z
  .object({
    id: stepId,
    script: z.string().min(1),
    directory: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).default({}),
    stream_output: z.boolean().default(true),
  })
  .strict();

/** A pull step is a one-key object naming its kind, as in prefect.yaml. */
export const PullStepSchema = z.union([
  z.object({ git_clone: GitCloneStepSchema }).strict(),
  z.object({ set_working_directory: SetWorkingDirectoryStepSchema }).strict(),
  z.object({ run_shell_script: RunShellScriptStepSchema }).strict(),
]);
export type PullStep = z.infer<typeof PullStepSchema>;
export type GitCloneStep = z.infer<typeof GitCloneStepSchema>;
export const PULL_STEP_KINDS = ["git_clone", "set_working_directory", "run_shell_script"] as const;
