import { dirname } from "node:path";
import { z } from "zod";
import { BatonYamlSchema, DeploymentSpecSchema, PullStepSchema, fieldIssues, type DeploymentSpec, type DeploymentTrigger, type DeploymentUpsert, type FieldIssue, type PullStep } from "@baton/core";
import type { BatonClient } from "baton";
import { UsageError } from "../errors.js";
import { ServerFacts, checkParameters, checkSecretReferences, checkSecretScopes, checkWorkPool } from "./checks.js";
import { checkKubernetesJob } from "./kubernetes-check.js";
import { checkSecretPlacement } from "./secret-placement-check.js";
import { inferGitSource, type CheckoutOptions, type GitSource } from "./git-source.js";
import { readBatonYaml } from "./read-yaml.js";
import { checkOtherDeployments, checkTriggerNames, checkTriggers, type OtherDeployment } from "./trigger-check.js";

export interface DeployRequest {
  /** The baton.yaml to read; entrypoints are relative to its folder. */
  file: string;
  names: string[];
  all: boolean;
  /** How to read the checkout when there is no pull section. */
  checkout?: CheckoutOptions;
}

export interface DeployPlan {
  bodies: DeploymentUpsert[];
  /** Each body's `triggers:`, made its automations once it is deployed ([] deletes those it had). */
  triggers: DeploymentTrigger[][];
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
  if (!whole.success) problems.push(...fieldIssues(whole.error, "", BatonYamlSchema));

  const doc = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const rawDeployments = Array.isArray(doc.deployments) ? (doc.deployments as unknown[]) : [];
  const selected = selectDeployments(rawDeployments, request);
  const topPull = TopPullSchema.safeParse(doc.pull);

  const facts = new ServerFacts(client);
  const { loadEntrypoint, EntrypointError } = await import("baton/loader");
  let inferred: { source?: GitSource; problem?: FieldIssue } | undefined;
  const bodies: DeploymentUpsert[] = [];
  const triggers: DeploymentTrigger[][] = [];
  const otherDeployments: OtherDeployment[] = [];
  const paths: string[] = [];

  for (const index of selected) {
    const path = `deployments[${index}]`;
    const rawSpec = (rawDeployments[index] && typeof rawDeployments[index] === "object" ? rawDeployments[index] : {}) as Record<string, unknown>;
    // Shape errors are listed from the whole document; the fields that are valid are still
    // checked against the flow and the server, so one pass shows everything to fix.
    const parsed = DeploymentSpecSchema.safeParse(rawSpec);
    const spec = parsed.success ? parsed.data : validFields(rawSpec);

    let pull: PullStep[] | undefined = spec.pull ?? (topPull.success ? topPull.data : undefined);
    let source: GitSource["source"] | null = null;
    if (rawSpec.pull === undefined && doc.pull === undefined) {
      inferred ??= inferGitSource(projectDir, request.checkout);
      if (inferred.problem) {
        if (!problems.some((p) => p.message === inferred!.problem!.message)) problems.push(inferred.problem);
      } else if (inferred.source) {
        pull = inferred.source.pull;
        source = inferred.source.source;
        for (const w of inferred.source.warnings) if (!warnings.includes(w)) warnings.push(w);
      }
    }
    problems.push(...(await checkSecretReferences(facts, rawSpec.pull !== undefined ? rawSpec.pull : doc.pull, rawSpec.pull !== undefined ? `${path}.pull` : "pull")));
    problems.push(...(await checkSecretReferences(facts, rawSpec.work_pool, `${path}.work_pool`)));

    if (spec.work_pool) problems.push(...(await checkWorkPool(facts, spec.work_pool, `${path}.work_pool`)));
    else if (rawSpec.work_pool === undefined) warnings.push(`${path} (${String(rawSpec.name)}) has no work_pool: no worker will pick its runs up; add work_pool: { name: POOL }`);
    const checked = await checkTriggers(facts, rawSpec.triggers, path);
    problems.push(...checked.issues);
    otherDeployments.push(...checked.others);

    if (!spec.entrypoint) continue;
    let flow;
    try {
      flow = await loadEntrypoint(spec.entrypoint, { cwd: projectDir });
    } catch (error) {
      if (!(error instanceof EntrypointError)) throw error;
      problems.push({ path: `${path}.entrypoint`, message: error.message });
      continue;
    }
    if (spec.enforce_parameter_schema !== false) {
      problems.push(...(await checkParameters(flow, spec.parameters ?? {}, scheduleParameters(rawSpec.schedules), path)));
    }
    {
      const poolName = spec.work_pool?.name ?? null;
      const pullDocument = rawSpec.pull !== undefined ? { document: rawSpec.pull, path: `${path}.pull` } : { document: doc.pull, path: "pull" };
      const documents = [pullDocument, { document: rawSpec.work_pool, path: `${path}.work_pool` }];
      const scopePool = poolName === null ? undefined : await facts.pool(poolName);
      problems.push(...(await checkSecretScopes(facts, documents, scopePool, poolName, `${flow.name}/${String(spec.name ?? rawSpec.name)}`)));
    }
    if (spec.work_pool) {
      const pool = await facts.pool(spec.work_pool.name);
      // A value the pool's schema refused already has its message: the Job built from it would only say it again.
      const named = new Set(problems.map((p) => p.path));
      if (pool) problems.push(...(await checkKubernetesJob(pool, { flowName: flow.name, name: String(spec.name ?? rawSpec.name), jobVariables: spec.work_pool.job_variables }, `${path}.work_pool`)).filter((p) => !named.has(p.path)));
      if (pool) problems.push(...(await checkSecretPlacement(pool, spec.work_pool.job_variables, `${path}.work_pool`)));
    }
    if (!parsed.success || pull === undefined) continue;
    const ok: DeploymentSpec = parsed.data;

    bodies.push({
      flow_name: flow.name,
      name: ok.name,
      entrypoint: ok.entrypoint,
      ...(ok.description !== undefined ? { description: ok.description } : {}),
      ...(ok.version !== undefined ? { version: ok.version } : {}),
      tags: ok.tags,
      parameters: ok.parameters,
      parameter_schema: flow.parameterJsonSchema() ?? null,
      enforce_parameter_schema: ok.enforce_parameter_schema,
      pull_steps: pull,
      schedules: ok.schedules,
      paused: ok.paused,
      concurrency_limit: ok.concurrency_limit ?? null,
      work_pool_name: ok.work_pool?.name ?? null,
      work_queue_name: ok.work_pool?.work_queue_name ?? null,
      job_variables: ok.work_pool?.job_variables ?? {},
      source,
    });
    triggers.push(ok.triggers);
    paths.push(path);
  }
  problems.push(...(await checkTriggerNames(client, bodies.map((b, i) => ({ flow: b.flow_name, name: b.name, path: paths[i]!, triggers: triggers[i]! })))));
  problems.push(...(await checkOtherDeployments(client, otherDeployments, new Set(bodies.map((b) => `${b.flow_name}/${b.name}`)))));
  return { bodies, triggers, problems, warnings };
}

/** The fields of a deployment that are valid on their own, when the whole is not. */
function validFields(raw: Record<string, unknown>): Partial<DeploymentSpec> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(DeploymentSpecSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(raw[key]);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as Partial<DeploymentSpec>;
}

/** Each schedule's own parameters, read even from a schedule whose other fields are wrong. */
function scheduleParameters(raw: unknown): Array<{ parameters: Record<string, unknown> }> {
  if (!Array.isArray(raw)) return [];
  return raw.map((s) => {
    const p = s && typeof s === "object" ? (s as { parameters?: unknown }).parameters : undefined;
    return { parameters: p && typeof p === "object" && !Array.isArray(p) ? (p as Record<string, unknown>) : {} };
  });
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
