import { InvalidPlaceholder, closestName, describeScope, findPlaceholders, jobVariableIssues, scopeAllows, unknownParameterIssues, type FieldIssue, type Secret, type WorkPool } from "@baton/core";
import type { BatonClient } from "baton";
import type { LoadedFlow } from "baton/loader";
import { isNotFound } from "../api-errors.js";
import { allPages } from "baton";


/**
 * What deploy asks the server, each once per command: whether a pool exists (and its
 * template), a pool's queues, the secret names.
 */
export class ServerFacts {
  private pools = new Map<string, Promise<WorkPool | undefined>>();
  private queues = new Map<string, Promise<string[]>>();
  private secretList: Promise<Map<string, Secret>> | undefined;

  constructor(private readonly client: BatonClient) {}

  pool(name: string): Promise<WorkPool | undefined> {
    let pool = this.pools.get(name);
    if (!pool) {
      pool = this.client.call("readWorkPool", { params: { name } }).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      this.pools.set(name, pool);
    }
    return pool;
  }

  queueNames(pool: string): Promise<string[]> {
    let names = this.queues.get(pool);
    if (!names) {
      names = this.client.call("listWorkQueues", { params: { name: pool } }).then((r) => r.items.map((q) => q.name));
      this.queues.set(pool, names);
    }
    return names;
  }

  /** Every secret by name, with its scope (never its value). */
  secrets(): Promise<Map<string, Secret>> {
    this.secretList ??= allPages((cursor) => this.client.call("listSecrets", { query: { limit: 200, ...(cursor ? { cursor } : {}) } })).then(
      (items) => new Map(items.map((s) => [s.name, s])),
    );
    return this.secretList;
  }

  async secretNames(): Promise<Set<string>> {
    return new Set((await this.secrets()).keys());
  }
}

/** The pool exists, its queue exists, and every job variable is one the pool's template declares, not locked, with a value its schema accepts. */
export async function checkWorkPool(
  facts: ServerFacts,
  workPool: { name: string; work_queue_name?: string | undefined; job_variables: Record<string, unknown> },
  path: string,
): Promise<FieldIssue[]> {
  const pool = await facts.pool(workPool.name);
  if (!pool) {
    return [{ path: `${path}.name`, message: `work pool "${workPool.name}" does not exist; create it with baton work-pool create ${workPool.name} --type process (or start a worker: baton worker start --pool ${workPool.name})` }];
  }
  // The server checks the same on deploy; checked here too so that nothing is written while anything is wrong.
  const issues = jobVariableIssues(pool.base_job_template, workPool.job_variables, `${path}.job_variables`, pool.name);
  if (workPool.work_queue_name) {
    const queues = await facts.queueNames(pool.name);
    if (!queues.includes(workPool.work_queue_name)) {
      issues.push({
        path: `${path}.work_queue_name`,
        message: `work pool "${pool.name}" has no queue "${workPool.work_queue_name}" (its queues: ${queues.join(", ")}); create it with baton work-queue create ${workPool.work_queue_name} --pool ${pool.name}`,
      });
    }
  }
  return issues;
}

/** `{{ baton.secrets.X }}` naming a secret the server does not hold, and placeholders Baton cannot read. */
export async function checkSecretReferences(facts: ServerFacts, document: unknown, path: string): Promise<FieldIssue[]> {
  let found;
  try {
    found = findPlaceholders(document, path);
  } catch (error) {
    if (error instanceof InvalidPlaceholder) return [{ path, message: error.message }];
    throw error;
  }
  const secrets = found.filter((f) => f.placeholder.kind === "secret");
  if (secrets.length === 0) return [];
  const known = await facts.secretNames();
  return secrets
    .filter((f) => !known.has((f.placeholder as { name: string }).name))
    .map((f) => {
      const name = (f.placeholder as { name: string }).name;
      // A name close to an existing one is a typo: offering to create the typo would make a second secret.
      const meant = closestName(name, known);
      return {
        path: f.path,
        message: meant
          ? `secret "${name}" does not exist on the server; did you mean "${meant}"? ({{ baton.secrets.${meant} }})`
          : `secret "${name}" does not exist on the server; set it with baton secret set ${name} (the value is read from stdin)`,
      };
    });
}

/**
 * Parameters against the flow's own schema, defaults applied: the deployment's, then each
 * schedule's on top of them (a schedule's issues are named only for the keys it sets).
 */
export async function checkParameters(
  flow: LoadedFlow,
  parameters: Record<string, unknown>,
  schedules: Array<{ parameters: Record<string, unknown> }>,
  path: string,
): Promise<FieldIssue[]> {
  const schema = flow.options.parameters;
  if (!schema) return [];
  const validate = async (input: Record<string, unknown>) => {
    const result = await schema["~standard"].validate(input);
    return (result.issues ?? []).map((issue) => ({ keys: (issue.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)), message: issue.message }));
  };
  const render = (prefix: string, keys: PropertyKey[]) => keys.reduce<string>((out, k) => (typeof k === "number" ? `${out}[${k}]` : `${out}.${String(k)}`), prefix);
  // zod's plain objects drop unknown keys: a typo in baton.yaml would deploy the default instead.
  const json = flow.parameterJsonSchema();
  const unknown = (input: Record<string, unknown>, prefix: string) => (json ? unknownParameterIssues(json, input, prefix) : []);
  const issues: FieldIssue[] = [
    ...unknown(parameters, `${path}.parameters`),
    ...(await validate(parameters)).map((i) => ({ path: render(`${path}.parameters`, i.keys), message: i.message })),
  ];
  for (const [index, schedule] of schedules.entries()) {
    const own = Object.keys(schedule.parameters);
    if (own.length === 0) continue;
    issues.push(...unknown(schedule.parameters, `${path}.schedules[${index}].parameters`));
    for (const i of await validate({ ...parameters, ...schedule.parameters })) {
      if (i.keys.length > 0 && own.includes(String(i.keys[0]))) issues.push({ path: render(`${path}.schedules[${index}].parameters`, i.keys), message: i.message });
    }
  }
  return issues;
}

/**
 * Secrets a deployment names whose scope (set by an admin) does not cover it: the server would
 * refuse the deployment, so deploy says so before writing anything. A secret the pool's own
 * template names is in scope for the pool's runs.
 */
export async function checkSecretScopes(facts: ServerFacts, documents: { document: unknown; path: string }[], pool: WorkPool | undefined, poolName: string | null, deployment: string): Promise<FieldIssue[]> {
  const secrets = await facts.secrets();
  const fromTemplate = new Set<string>();
  if (pool) for (const f of safePlaceholders(pool.base_job_template, "")) if (f.placeholder.kind === "secret") fromTemplate.add(f.placeholder.name);
  const issues: FieldIssue[] = [];
  for (const { document, path } of documents) {
    for (const f of safePlaceholders(document, path)) {
      if (f.placeholder.kind !== "secret") continue;
      const secret = secrets.get(f.placeholder.name);
      if (!secret || fromTemplate.has(secret.name) || scopeAllows(secret, poolName, deployment)) continue;
      issues.push({
        path: f.path,
        message:
          `secret "${secret.name}" may be used by ${describeScope(secret)}, not by deployment ${deployment}${poolName ? ` in work pool ${poolName}` : " (no work pool)"}; ` +
          `an admin widens its scope with baton secret set ${secret.name} --keep-value --pool ${poolName ?? "'*'"} --deployment ${deployment}`,
      });
    }
  }
  return issues;
}

/** Placeholders of a document, none when it cannot be read (checkSecretReferences reports that). */
function safePlaceholders(document: unknown, path: string): ReturnType<typeof findPlaceholders> {
  try {
    return findPlaceholders(document, path);
  } catch (error) {
    if (error instanceof InvalidPlaceholder) return [];
    throw error;
  }
}
