import { dirname } from "node:path";
import { z } from "zod";
import { BatonYamlSchema, DeploymentSpecSchema, PullStepSchema, fieldIssues, type DeploymentSpec, type DeploymentUpsert, type FieldIssue, type PullStep } from "@baton/core";
import type { BatonClient } from "baton";
import { UsageError } from "../errors.js";
import { ServerFacts, checkParameters, checkSecretReferences, checkWorkPool } from "./checks.js";
import { inferGitSource, type GitSource } from "./git-source.js";
import { readBatonYaml } from "./read-yaml.js";

export interface DeployRequest {
  /** The baton.yaml to read; entrypoints are relative to its folder. */
  file: string;
  names: string[];
  all: boolean;
}

export interface DeployPlan {
  bodies: DeploymentUpsert[];
  /** Every problem, with its YAML path; nothing may be written when there is one. */
  problems: FieldIssue[];
  warnings: string[];
}

const TopPullSchema = z.array(PullStepSchema).optional();

/**
 * Read, check and turn baton.yaml into upsert bodies without writing anything. Checks that
 * need the flow (its name, parameters) or the server (pools, secrets) run for every
 * deployment whose own shape is valid, so one pass lists everything there is to fix.
 */
export async function planDeploy(client: BatonClient, request: DeployRequest): Promise<DeployPlan> {
  const projectDir = dirname(request.file);
  const raw = readBatonYaml(request.file);
  const problems: FieldIssue[] = [];
  const warnings: string[] = [];
  const whole = BatonYamlSchema.safeParse(raw);
  if (!whole.success) problems.push(...fieldIssues(whole.error));

  const doc = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const rawDeployments = Array.isArray(doc.deployments) ? (doc.deployments as unknown[]) : [];
  const selected = selectDeployments(rawDeployments, request);
  const topPull = TopPullSchema.safeParse(doc.pull);

  const facts = new ServerFacts(client);
  const { loadEntrypoint, EntrypointError } = await import("baton/loader");
  let inferred: { source?: GitSource; problem?: FieldIssue } | undefined;
  const bodies: DeploymentUpsert[] = [];

  for (const index of selected) {
    const parsed = DeploymentSpecSchema.safeParse(rawDeployments[index]);
    if (!parsed.success) continue; // its issues are listed from the whole document
    const spec: DeploymentSpec = parsed.data;
    const path = `deployments[${index}]`;
    const rawSpec = rawDeployments[index] as Record<string, unknown>;

    let pull: PullStep[] | undefined = spec.pull ?? (topPull.success ? topPull.data : undefined);
    let source: GitSource["source"] | null = null;
    const pullPath = spec.pull ? `${path}.pull` : "pull";
    if (pull === undefined && doc.pull === undefined) {
      inferred ??= inferGitSource(projectDir);
      if (inferred.problem) {
        if (!problems.some((p) => p.message === inferred!.problem!.message)) problems.push(inferred.problem);
      } else if (inferred.source) {
        pull = inferred.source.pull;
        source = inferred.source.source;
        for (const w of inferred.source.warnings) if (!warnings.includes(w)) warnings.push(w);
      }
    }
    problems.push(...(await checkSecretReferences(facts, spec.pull ? rawSpec.pull : doc.pull, pullPath)));
    problems.push(...(await checkSecretReferences(facts, rawSpec.work_pool, `${path}.work_pool`)));

    if (spec.work_pool) problems.push(...(await checkWorkPool(facts, spec.work_pool, `${path}.work_pool`)));
    else warnings.push(`${path} (${spec.name}) has no work_pool: no worker will pick its runs up; add work_pool: { name: POOL }`);

    let flow;
    try {
      flow = await loadEntrypoint(spec.entrypoint, { cwd: projectDir });
    } catch (error) {
      if (!(error instanceof EntrypointError)) throw error;
      problems.push({ path: `${path}.entrypoint`, message: error.message });
      continue;
    }
    if (spec.enforce_parameter_schema) problems.push(...(await checkParameters(flow, spec.parameters, spec.schedules, path)));
    if (pull === undefined) continue;

    bodies.push({
      flow_name: flow.name,
      name: spec.name,
      entrypoint: spec.entrypoint,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.version !== undefined ? { version: spec.version } : {}),
      tags: spec.tags,
      parameters: spec.parameters,
      parameter_schema: flow.parameterJsonSchema() ?? null,
      enforce_parameter_schema: spec.enforce_parameter_schema,
      pull_steps: pull,
      schedules: spec.schedules,
      paused: spec.paused,
      concurrency_limit: spec.concurrency_limit ?? null,
      work_pool_name: spec.work_pool?.name ?? null,
      work_queue_name: spec.work_pool?.work_queue_name ?? null,
      job_variables: spec.work_pool?.job_variables ?? {},
      source,
    });
  }
  return { bodies, problems, warnings };
}

/** `--name` picks by name, `--all` takes every one; a file of one deployment needs neither. */
function selectDeployments(deployments: unknown[], request: DeployRequest): number[] {
  const names = deployments.map((d) => (d && typeof d === "object" ? (d as { name?: unknown }).name : undefined));
  const listed = names.filter((n): n is string => typeof n === "string");
  if (request.all || (request.names.length === 0 && deployments.length <= 1)) return deployments.map((_, i) => i);
  if (request.names.length === 0) {
    throw new UsageError(`${request.file} has ${deployments.length} deployments (${listed.join(", ")}); choose with --name NAME (repeatable) or deploy them all with --all`);
  }
  const unknown = request.names.filter((n) => !listed.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`${request.file} has no deployment named ${unknown.map((n) => `"${n}"`).join(", ")}; its deployments: ${listed.join(", ") || "(none)"}`);
  }
  return names.flatMap((n, i) => (typeof n === "string" && request.names.includes(n) ? [i] : []));
}
