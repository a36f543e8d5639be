import { z } from "zod";
import { closestName } from "../suggest.js";
import { wholePlaceholder } from "../templating/placeholders.js";
import { repositoryUrlProblem } from "./repository-url.js";

const stepId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "use letters, digits, '_' and '-'").optional();

const repository = z.string().min(1).superRefine((url, ctx) => {
  const problem = repositoryUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * A credential field holds a reference, never the credential: a deployment is stored on the
 * server and shown to everyone who can read it. `{{ baton.secrets.NAME }}` is the usual one;
 * `{{ $NAME }}` is a variable of the run's environment (a Kubernetes pool's git_token_secret
 * gives the token as GIT_TOKEN).
 */
export function isCredentialReference(value: string): boolean {
  try {
    const kind = wholePlaceholder(value)?.kind;
    return kind === "secret" || kind === "env";
  } catch {
    return false;
  }
}

const CREDENTIAL_FIELDS = ["access_token", "ssh_key"] as const;

/** A branch git would read as an option never reaches git. */
const branch = z
  .string()
  .min(1)
  .refine((b) => !b.startsWith("-") && !/[\x00-\x1f\x7f]/.test(b), 'is not a branch name: it starts with "-" or holds a control character');

/** Sparse checkout folders: paths inside the repository. */
const folder = z.string().min(1).refine((d) => !d.startsWith("-"), 'must be a folder of the repository; a name starting with "-" would be read as an option');

const GitCloneFieldsSchema = z
  .object({
    id: stepId,
    repository,
    branch: branch.optional(),
    commit_sha: z.string().regex(/^[0-9a-f]{7,40}$/i, "must be a commit hash (7 to 40 hex digits)").optional(),
    include_submodules: z.boolean().default(false),
    /** Sparse checkout: only these folders. */
    directories: z.array(folder).optional(),
    /** HTTPS token, as `{{ baton.secrets.NAME }}`: handed to git by a credential helper, never in the URL. */
    access_token: z.string().min(1).optional(),
    /** User name sent with the token; by default the one the host expects (GitLab oauth2, Bitbucket x-token-auth, GitHub the token). */
    username: z.string().min(1).optional(),
    /** Private key, as `{{ baton.secrets.NAME }}`: written to a 0600 temporary file for the clone only. */
    ssh_key: z.string().min(1).optional(),
    /** known_hosts lines for the host: host keys are always checked. */
    known_hosts: z.string().min(1).optional(),
  })
  .strict();

type GitCloneFields = z.infer<typeof GitCloneFieldsSchema>;

function checkGitClone(s: GitCloneFields, ctx: z.RefinementCtx): void {
  if (s.branch && s.commit_sha) ctx.addIssue({ code: "custom", path: ["commit_sha"], message: "give branch or commit_sha, not both" });
  if (s.access_token && s.ssh_key) ctx.addIssue({ code: "custom", path: ["ssh_key"], message: "give access_token (HTTPS) or ssh_key (SSH), not both" });
  const isSsh = /^(ssh:\/\/|[A-Za-z0-9._-]+@[^:/]+:)/.test(s.repository);
  if (s.ssh_key && !isSsh) ctx.addIssue({ code: "custom", path: ["ssh_key"], message: "ssh_key needs an SSH repository URL (git@host:org/repo.git or ssh://...)" });
  if (s.access_token && !/^https?:\/\//.test(s.repository)) ctx.addIssue({ code: "custom", path: ["access_token"], message: "access_token needs an https:// repository URL" });
}

/** A git_clone step as written in baton.yaml or sent to the API: credentials are references. */
export const GitCloneStepSchema = GitCloneFieldsSchema.superRefine((s, ctx) => {
  checkGitClone(s, ctx);
  for (const field of CREDENTIAL_FIELDS) {
    const value = s[field];
    if (value !== undefined && !isCredentialReference(value)) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `must be a reference to a secret such as "{{ baton.secrets.NAME }}", never the credential itself (a deployment is shown to everyone who can read it); store it with baton secret set NAME`,
      });
    }
  }
});

/** The same step once its references are resolved on the machine that runs it. */
const ResolvedGitCloneStepSchema = GitCloneFieldsSchema.superRefine(checkGitClone);

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

export const PULL_STEP_KINDS = ["git_clone", "set_working_directory", "run_shell_script"] as const;

/** Prefect's pull steps that Baton has no equivalent for, and what to write instead. */
const PREFECT_ONLY_STEPS: Record<string, string> = {
  pull_from_remote_storage: "put the code in git and use git_clone",
  pull_with_block: "put the code in git and use git_clone",
  pull_from_s3: "put the code in git and use git_clone, or fetch it with run_shell_script",
  pull_from_gcs: "put the code in git and use git_clone, or fetch it with run_shell_script",
  pull_from_azure_blob_storage: "put the code in git and use git_clone, or fetch it with run_shell_script",
  pip_install_requirements: "install dependencies with run_shell_script: { script: npm ci }",
};

/**
 * Why a value is not a pull step at all (its shape, or a kind Baton does not have), for the
 * union's message; undefined when the kind is right and only its fields are wrong.
 */
export function pullStepShapeProblem(input: unknown): string | undefined {
  const kinds = PULL_STEP_KINDS.join(", ");
  if (input === null || typeof input !== "object" || Array.isArray(input)) return `a pull step is one key naming its kind (${kinds}), such as git_clone: { repository: URL }`;
  const keys = Object.keys(input);
  if (keys.length !== 1) return `a pull step has exactly one key, its kind (${kinds}); this one has ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "none"}: make each step its own list item`;
  const kind = keys[0]!;
  if ((PULL_STEP_KINDS as readonly string[]).includes(kind)) return undefined;
  const short = kind.split(".").pop()!;
  if (kind !== short && (PULL_STEP_KINDS as readonly string[]).includes(short)) return `"${kind}" is Prefect's name for this step; in baton.yaml write ${short}`;
  if (PREFECT_ONLY_STEPS[short]) return `Baton has no step "${kind}" (Prefect's ${short}); ${PREFECT_ONLY_STEPS[short]}`;
  const meant = closestName(short, PULL_STEP_KINDS);
  return `unknown pull step "${kind}"; ${meant ? `did you mean ${meant}? ` : ""}the steps are ${kinds}`;
}

/** A pull step is a one-key object naming its kind, as in prefect.yaml. */
export const PullStepSchema = z.union(
  [
    z.object({ git_clone: GitCloneStepSchema }).strict(),
    z.object({ set_working_directory: SetWorkingDirectoryStepSchema }).strict(),
    z.object({ run_shell_script: RunShellScriptStepSchema }).strict(),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? pullStepShapeProblem(issue.input) : undefined) },
);
/**
 * A pull step after its references were resolved, at run time; and a stored deployment's steps
 * as the API answers them (a deployment stored before references were required still reads).
 */
export const ResolvedPullStepSchema = z.union([
  z.object({ git_clone: ResolvedGitCloneStepSchema }).strict(),
  z.object({ set_working_directory: SetWorkingDirectoryStepSchema }).strict(),
  z.object({ run_shell_script: RunShellScriptStepSchema }).strict(),
]);
export type PullStep = z.infer<typeof PullStepSchema>;
export type GitCloneStep = z.infer<typeof GitCloneStepSchema>;
