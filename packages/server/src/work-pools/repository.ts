import {
  checkBaseJobTemplate,
  defaultBaseJobTemplate,
  variablesSchemaProblem,
  unsafeKubeconfigProblems,
  SAFE_KUBECONFIG_HINT,
  uuidv7,
  ValidationError,
  type BaseJobTemplate,
  type FieldIssue,
  type Page,
  type WorkPool,
  type WorkPoolCreateSchema,
  type WorkPoolUpdateSchema,
} from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { toJson } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { WorkPoolExists, WorkPoolNotFound, invalidTemplate } from "./errors.js";
import { DEFAULT_QUEUE, isWorkerOnline, toWorkPool, type WorkPoolRow } from "./rows.js";

export interface WorkPoolWrite {
  work_pool: WorkPool;
  warnings: FieldIssue[];
}

/** A template's errors stop the write; its warnings travel back with the result. */
function checkTemplate(template: BaseJobTemplate): FieldIssue[] {
  const check = checkBaseJobTemplate(template);
  // Job variable values are checked against this schema on every deploy and run: it must compile.
  const problem = variablesSchemaProblem(template);
  if (problem) check.errors.push({ path: "variables", message: `not a usable JSON Schema (${problem}); job variable values are checked against it` });
  check.errors.push(...unsafeClusterConfigs(template));
  if (check.errors.length > 0) throw invalidTemplate(check.errors);
  return check.warnings.map((w) => ({ path: `base_job_template.${w.path}`, message: w.message }));
}

/** An inline kubeconfig in the template (a variable's default or a literal) that workers would refuse to load: refused here first. */
function unsafeClusterConfigs(template: BaseJobTemplate): FieldIssue[] {
  const places: Array<[string, unknown]> = [
    ["variables.properties.cluster_config.default.kubeconfig", (template.variables.properties.cluster_config?.default as { kubeconfig?: unknown } | undefined)?.kubeconfig],
    ["job_configuration.cluster_config.kubeconfig", (template.job_configuration.cluster_config as { kubeconfig?: unknown } | undefined)?.kubeconfig],
  ];
  return places.flatMap(([path, kubeconfig]) =>
    unsafeKubeconfigProblems(kubeconfig, path).map((message) => ({ path, message: `${message}; ${SAFE_KUBECONFIG_HINT}` })),
  );
}

export async function readWorkPoolRow(db: Kysely<Database>, name: string, options: { forUpdate?: boolean } = {}): Promise<WorkPoolRow> {
  const row = await db
    .selectFrom("work_pools")
    .selectAll()
    .where("name", "=", name)
    .$if(options.forUpdate === true, (q) => q.forNoKeyUpdate())
    .executeTakeFirst();
  if (!row) throw new WorkPoolNotFound(name);
  return row;
}

async function onlinePools(db: Kysely<Database>, poolIds: string[], now: Date): Promise<Set<string>> {
  if (poolIds.length === 0) return new Set();
  const workers = await db.selectFrom("workers").select(["work_pool_id", "last_heartbeat_time", "heartbeat_interval_seconds"]).where("work_pool_id", "in", poolIds).execute();
  return new Set(workers.filter((w) => isWorkerOnline(w, now)).map((w) => w.work_pool_id));
}

export async function readWorkPool(db: Kysely<Database>, name: string, now: Date): Promise<WorkPool> {
  const row = await readWorkPoolRow(db, name);
  return toWorkPool(row, (await onlinePools(db, [row.id], now)).has(row.id));
}

export async function listWorkPools(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined; id_prefix?: string | undefined }, now: Date): Promise<Page<WorkPool>> {
  let q = db.selectFrom("work_pools").selectAll();
  // The prefix is hex digits and '-' only (IdPrefixSchema): no LIKE wildcard gets through.
  if (query.id_prefix) q = q.where("id", "like", `${query.id_prefix}%`);
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  const online = await onlinePools(db, rows.map((r) => r.id), now);
  return pageFrom(rows, query.limit, (row) => toWorkPool(row, online.has(row.id)), (row) => [row.name]);
}

export async function createWorkPool(database: BatonDatabase, input: z.output<typeof WorkPoolCreateSchema>, now: Date): Promise<WorkPoolWrite> {
  const template = input.base_job_template ?? defaultBaseJobTemplate(input.type);
  if (!template) {
    const message = `work pools of type "${input.type}" have no default base job template yet; pass one: baton work-pool create ${input.name} --type ${input.type} --base-job-template FILE`;
    throw new ValidationError(`ValidationError: body.base_job_template: ${message}`, [{ path: "body.base_job_template", message }]);
  }
  const warnings = checkTemplate(template);
  const stamp = now.toISOString();
  const row: WorkPoolRow = {
    id: uuidv7(now.getTime()),
    name: input.name,
    type: input.type,
    description: input.description ?? null,
    base_job_template: toJson(template),
    concurrency_limit: input.concurrency_limit ?? null,
    paused: input.paused ? 1 : 0,
    created: stamp,
    updated: stamp,
  };
  await database.transaction(async (trx) => {
    const inserted = await trx.insertInto("work_pools").values(row).onConflict((oc) => oc.column("name").doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new WorkPoolExists(input.name);
    await trx
      .insertInto("work_queues")
      .values({ id: uuidv7(now.getTime()), work_pool_id: row.id, name: DEFAULT_QUEUE, description: "Runs with no queue of their own", priority: 1, concurrency_limit: null, paused: 0, created: stamp, updated: stamp })
      .execute();
  });
  return { work_pool: toWorkPool(row, false), warnings };
}

export async function updateWorkPool(database: BatonDatabase, name: string, input: z.output<typeof WorkPoolUpdateSchema>, now: Date): Promise<WorkPoolWrite> {
  const warnings = input.base_job_template ? checkTemplate(input.base_job_template) : [];
  await database.transaction(async (trx) => {
    const row = await readWorkPoolRow(trx, name, { forUpdate: database.kind === "postgresql" });
    await trx
      .updateTable("work_pools")
      .set({
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.base_job_template !== undefined ? { base_job_template: toJson(input.base_job_template) } : {}),
        ...(input.concurrency_limit !== undefined ? { concurrency_limit: input.concurrency_limit } : {}),
        ...(input.paused !== undefined ? { paused: input.paused ? 1 : 0 } : {}),
        updated: now.toISOString(),
      })
      .where("id", "=", row.id)
      .execute();
  });
  return { work_pool: await readWorkPool(database.db, name, now), warnings };
}

/** Its queues and workers go with it; runs that named it wait until a pool of that name exists again. */
export async function deleteWorkPool(database: BatonDatabase, name: string): Promise<void> {
  await database.transaction(async (trx) => {
    const row = await readWorkPoolRow(trx, name, { forUpdate: database.kind === "postgresql" });
    await trx.deleteFrom("work_pools").where("id", "=", row.id).execute();
  });
}
