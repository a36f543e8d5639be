import { spawn } from "node:child_process";
import { isAbsolute, resolve } from "node:path";
import { BatonError, MISSING, PullStepSchema, renderTemplate, type Placeholder, type PullStep } from "@baton/core";
import { gitClone } from "./git-clone.js";

export class PullStepFailed extends BatonError {
  override readonly code = "PullStepFailed";
  override readonly status = 400;
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
}

export interface PullStepsResult {
  /** The working directory the steps ended in: the entrypoint is found from here. */
  directory: string;
  /** Each step's outputs by its `id`. */
  outputs: Record<string, Record<string, unknown>>;
  /** Secret values used, so that logs and messages can mask them. */
  secretValues: string[];
}

/**
 * Run a deployment's pull steps on the machine that runs the flow. Placeholders are resolved
 * here and only here: secrets, variables, this machine's environment, earlier steps' outputs.
 */
export async function runPullSteps(steps: unknown[], context: PullStepContext): Promise<PullStepsResult> {
  let directory = context.workDir;
  const outputs: Record<string, Record<string, unknown>> = {};
  const secretValues: string[] = [];
  for (const [index, raw] of steps.entries()) {
    const kind = Object.keys(raw as object)[0] ?? "?";
    const resolved = await resolvePlaceholders(raw, context, outputs, secretValues, `pull[${index}].${kind}`);
    const parsed = PullStepSchema.safeParse(resolved);
    if (!parsed.success) throw new PullStepFailed(`PullStepFailed: pull[${index}] is not a valid step: ${parsed.error.issues[0]?.message}`);
    const step: PullStep = parsed.data;
    let out: Record<string, unknown>;
    if ("git_clone" in step) {
      const s = step.git_clone;
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
        cacheDir: context.cacheDir,
        env: context.env,
      });
      directory = r.directory;
      out = { directory: r.directory, commit: r.commit };
      record(outputs, s.id ?? "git_clone", out);
    } else if ("set_working_directory" in step) {
      const s = step.set_working_directory;
      directory = isAbsolute(s.directory) ? s.directory : resolve(directory, s.directory);
      out = { directory };
      record(outputs, s.id ?? "set_working_directory", out);
    } else {
      const s = step.run_shell_script;
      const cwd = s.directory ? resolve(directory, s.directory) : directory;
      out = await runShell(s.script, cwd, { ...context.env, ...s.env }, s.stream_output ? context.output : undefined, index);
      record(outputs, s.id ?? "run_shell_script", out);
    }
  }
  return { directory, outputs, secretValues };
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
      const v = outputs[p.step]?.[p.field];
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

function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv, output: ((line: string) => void) | undefined, index: number): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("sh", ["-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      output?.(d.toString());
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      output?.(d.toString());
    });
    child.on("error", (e) => reject(new PullStepFailed(`PullStepFailed: pull[${index}].run_shell_script could not start a shell in ${cwd}: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) return resolvePromise({ stdout: stdout.trim(), stderr: stderr.trim() });
      const tail = (stderr || stdout).trim().split("\n").slice(-10).join("\n");
      reject(new PullStepFailed(`PullStepFailed: pull[${index}].run_shell_script exited with code ${code} in ${cwd}:\n${tail}`));
    });
  });
}

