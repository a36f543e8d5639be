import { isAbsolute, resolve } from "node:path";
import type { Placeholder, PullStep, PulledSource } from "@baton/core";
import { BatonError, MISSING, PULL_STEP_TIMEOUT_ENV, redactUrl, renderTemplate, valueAtPath } from "@baton/core/runtime";
import { runChild, type ChildFailure } from "./child-process.js";
import { gitClone } from "./git-clone.js";
import type { GitProgress } from "./git-progress.js";
import { pullStepSchemas } from "../core-schemas.js";

export class PullStepFailed extends BatonError {
  override readonly code = "PullStepFailed";
  override readonly status = 400;
}

export class PullStepTimedOut extends BatonError {
  override readonly code = "PullStepTimedOut";
  override readonly status = 400;
}

/** A pull step that runs longer than this fails the run (the job variable pull_step_timeout_seconds). */
export const DEFAULT_PULL_STEP_TIMEOUT_SECONDS = 15 * 60;

/** The time limit of each pull step, from the run's environment; the default when unset or not a positive number. */
export function pullStepTimeoutSeconds(env: NodeJS.ProcessEnv): number {
  const value = Number(env[PULL_STEP_TIMEOUT_ENV]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_PULL_STEP_TIMEOUT_SECONDS;
}

export class UnresolvedReference extends BatonError {
  override readonly code = "UnresolvedReference";
  override readonly status = 400;
}

export interface PullStepContext {
  /** Where the steps start: the run's working directory. */
  workDir: string;
  /** Where git mirrors are kept between runs. */
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  /** The value of `{{ baton.secrets.NAME }}`, fetched for this run only. */
  resolveSecret(name: string): Promise<string>;
  /** The value of `{{ baton.variables.NAME }}`. */
  resolveVariable(name: string): Promise<unknown>;
  /** Where step output goes (run_shell_script with stream_output). */
  output?(line: string): void;
  /** Each step's time limit; by default from BATON_PULL_STEP_TIMEOUT_SECONDS in `env`, else 15 minutes. */
  stepTimeoutSeconds?: number;
  /** What each step is doing, for a person watching; git is asked for its progress only when this is given. */
  onProgress?(event: PullProgress): void;
}

/**
 * A step starts, a clone moves on, a step ends. `step` is 1-based of `steps`; `repository` is the
 * git_clone's URL without any credential in it.
 */
export type PullProgress = { step: number; steps: number; kind: string; repository?: string } & (
  | { event: "started" }
  | { event: "git"; git: GitProgress }
  | { event: "finished"; commit?: string; fromCache?: boolean }
  | { event: "failed" }
);

export interface PullStepsResult {
  /** The working directory the steps ended in: the entrypoint is found from here. */
  directory: string;
  /** Each step's outputs by its `id`. */
  outputs: Record<string, Record<string, unknown>>;
  /** Secret values used, so that logs and messages can mask them. */
  secretValues: string[];
  /** What the last git_clone checked out (its URL without any credential in it). */
  source?: PulledSource;
}

/**
 * Run a deployment's pull steps on the machine that runs the flow. Placeholders are resolved
 * here and only here: secrets, variables, this machine's environment, earlier steps' outputs.
 */
export async function runPullSteps(steps: unknown[], context: PullStepContext): Promise<PullStepsResult> {
  let directory = context.workDir;
  const outputs: Record<string, Record<string, unknown>> = {};
  const secretValues: string[] = [];
  const pulled: { source?: PulledSource } = {};
  const limit = context.stepTimeoutSeconds ?? pullStepTimeoutSeconds(context.env);
  for (const [index, raw] of steps.entries()) {
    const kind = Object.keys(raw as object)[0] ?? "?";
    const where = `pull[${index}].${kind}`;
    // git, ssh and shells started by the step are stopped (their process group) when the limit is reached.
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new PullStepTimedOut(
            `PullStepTimedOut: ${where} did not finish within ${limit} s and was stopped; if it needs longer, raise the job variable pull_step_timeout_seconds, otherwise look for what waits (a prompt, a lock, a slow server)`,
          ),
        ),
      limit * 1000,
    );
    const position = { step: index + 1, steps: steps.length, kind };
    try {
      directory = await runStep(raw, index, where, directory, { ...context, outputs, secretValues, pulled, signal: controller.signal, position });
    } catch (error) {
      // The error is printed next: a progress line must not stay in front of it.
      context.onProgress?.({ ...position, event: "failed" });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
  return { directory, outputs, secretValues, ...(pulled.source ? { source: pulled.source } : {}) };
}

interface StepState extends PullStepContext {
  outputs: Record<string, Record<string, unknown>>;
  pulled: { source?: PulledSource };
  secretValues: string[];
  signal: AbortSignal;
  position: { step: number; steps: number; kind: string };
}

/** Runs one step; answers the working directory after it. */
async function runStep(raw: unknown, index: number, where: string, directory: string, state: StepState): Promise<string> {
  const { outputs, secretValues, signal } = state;
  const resolved = await resolvePlaceholders(raw, state, outputs, secretValues, where);
  const parsed = pullStepSchemas().ResolvedPullStepSchema.safeParse(resolved);
  if (!parsed.success) throw new PullStepFailed(`PullStepFailed: pull[${index}] is not a valid step: ${parsed.error.issues[0]?.message}`);
  const step: PullStep = parsed.data;
  const report = state.onProgress;
  if ("git_clone" in step) {
    const s = step.git_clone;
    const where = { ...state.position, repository: redactUrl(s.repository) };
    report?.({ ...where, event: "started" });
    const r = await gitClone({
      repository: s.repository,
      ...(s.branch ? { branch: s.branch } : {}),
      ...(s.commit_sha ? { commitSha: s.commit_sha } : {}),
      includeSubmodules: s.include_submodules,
      ...(s.directories ? { directories: s.directories } : {}),
      ...(s.access_token ? { accessToken: s.access_token } : {}),
      ...(s.username ? { username: s.username } : {}),
      ...(s.ssh_key ? { sshKey: s.ssh_key } : {}),
      ...(s.known_hosts !== undefined ? { knownHosts: s.known_hosts } : {}),
      workDir: directory,
      cacheDir: state.cacheDir,
      env: state.env,
      signal,
      ...(report ? { onProgress: (git: GitProgress) => report({ ...where, event: "git", git }) } : {}),
    });
    report?.({ ...where, event: "finished", commit: r.commit, fromCache: r.fromCache });
    record(outputs, s.id ?? "git_clone", { directory: r.directory, commit: r.commit });
    state.pulled.source = { repository: redactUrl(s.repository), ...(s.branch ? { branch: s.branch } : {}), commit: r.commit };
    return r.directory;
  }
  // A shell's output goes to the same terminal: whoever shows a clone's progress clears it first.
  report?.({ ...state.position, event: "started" });
  if ("set_working_directory" in step) {
    const s = step.set_working_directory;
    const next = isAbsolute(s.directory) ? s.directory : resolve(directory, s.directory);
    record(outputs, s.id ?? "set_working_directory", { directory: next });
    return next;
  }
  const s = step.run_shell_script;
  const cwd = s.directory ? resolve(directory, s.directory) : directory;
  record(outputs, s.id ?? "run_shell_script", await runShell(s.script, cwd, { ...state.env, ...s.env }, s.stream_output ? state.output : undefined, index, signal));
  return directory;
}

function record(outputs: Record<string, Record<string, unknown>>, id: string, out: Record<string, unknown>): void {
  outputs[id] = out;
}

async function resolvePlaceholders(
  step: unknown,
  context: PullStepContext,
  outputs: Record<string, Record<string, unknown>>,
  secretValues: string[],
  where: string,
): Promise<unknown> {
  // Fetch every secret and variable the step names first: rendering itself is synchronous.
  const values = new Map<string, unknown>();
  const wanted: Placeholder[] = [];
  renderTemplate(step, (p) => {
    wanted.push(p);
    return undefined;
  });
  for (const p of wanted) {
    if (p.kind === "secret" && !values.has(p.raw)) {
      const value = await context.resolveSecret(p.name);
      secretValues.push(value);
      values.set(p.raw, value);
    } else if (p.kind === "baton-variable" && !values.has(p.raw)) values.set(p.raw, await context.resolveVariable(p.name));
  }
  return renderTemplate(step, (p) => {
    if (p.kind === "secret" || p.kind === "baton-variable") return values.get(p.raw);
    if (p.kind === "env") {
      const v = context.env[p.name];
      if (v === undefined) throw new UnresolvedReference(`UnresolvedReference: ${where} uses {{ $${p.name} }} but ${p.name} is not set in this run's environment`);
      return v;
    }
    if (p.kind === "step-output") {
      const v = valueAtPath(outputs[p.step]?.[p.field], p.path);
      if (v === undefined) {
        throw new UnresolvedReference(
          `UnresolvedReference: ${where} uses {{ ${p.raw} }} but no earlier step with id "${p.step}" has an output "${p.field}" (known: ${Object.keys(outputs).join(", ") || "none"})`,
        );
      }
      return v;
    }
    return MISSING;
  });
}

async function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv, output: ((line: string) => void) | undefined, index: number, signal: AbortSignal): Promise<Record<string, unknown>> {
  try {
    const { stdout, stderr } = await runChild("sh", ["-c", script], { cwd, env, signal, ...(output ? { onOutput: output } : {}) });
    return { stdout, stderr: stderr.trim() };
  } catch (error) {
    const failure = error as ChildFailure;
    if (signal.aborted) throw error; // the time limit
    if (!failure.exited) {
      throw new PullStepFailed(`PullStepFailed: pull[${index}].run_shell_script could not start a shell in ${cwd}: ${failure.message}`);
    }
    const tail = (failure.stderr || failure.stdout || "").trim().split("\n").slice(-10).join("\n");
    throw new PullStepFailed(`PullStepFailed: pull[${index}].run_shell_script exited with code ${failure.exitCode} in ${cwd}:\n${tail}`);
  }
}
