import { ArtifactDataSchemas, FlowRunNotFound, ValidationError, checkArtifactSize, uuidv7, type Artifact, type ArtifactType, type Page } from "@baton/core";
import type { Kysely } from "kysely";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import type { Database } from "../db/schema.js";
import { ArtifactNotFound } from "./errors.js";

export interface NewArtifact {
  type: ArtifactType;
  data: unknown;
  key?: string | undefined;
  description?: string | undefined;
  flow_run_id: string;
  task_run_id?: string | undefined;
}

export interface ArtifactFilter {
  limit: number;
  cursor?: string | undefined;
  key?: string | undefined;
  flow_run_id?: string | undefined;
  task_run_id?: string | undefined;
  type?: ArtifactType | undefined;
  latest: boolean;
}

function checkSize(type: string, key: string | null | undefined, data: unknown): string {
  checkArtifactSize(type, key, data);
  return JSON.stringify(data);
}

/** Artifacts with their run's name and flow, newest first. */
function selectArtifacts(db: Kysely<Database>) {
  return db
    .selectFrom("artifacts as a")
    .leftJoin("flow_runs as r", "r.id", "a.flow_run_id")
    .selectAll("a")
    .select(["r.name as flow_run_name", "r.flow_name as flow_name"]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectArtifacts>["executeTakeFirstOrThrow"]>>;

function toArtifact(row: Row): Artifact {
  return {
    id: row.id,
    key: row.key,
    type: row.type as ArtifactType,
    description: row.description,
    data: JSON.parse(row.data) as unknown,
    flow_run_id: row.flow_run_id,
    task_run_id: row.task_run_id,
    flow_run_name: row.flow_run_name ?? null,
    flow_name: row.flow_name ?? null,
    created: row.created,
    updated: row.updated,
  };
}

export async function readArtifact(db: Kysely<Database>, id: string): Promise<Artifact> {
  const row = await selectArtifacts(db).where("a.id", "=", id).executeTakeFirst();
  if (!row) throw new ArtifactNotFound(id);
  return toArtifact(row);
}

/** A new artifact; with a key that exists, the key's new current version (the old ones are kept). */
export async function createArtifact(db: Kysely<Database>, input: NewArtifact, now: Date): Promise<Artifact> {
  const data = checkSize(input.type, input.key, input.data);
  const run = await db.selectFrom("flow_runs").select("id").where("id", "=", input.flow_run_id).executeTakeFirst();
  if (!run) throw new FlowRunNotFound(input.flow_run_id);
  const stamp = now.toISOString();
  const id = uuidv7(now.getTime());
  await db
    .insertInto("artifacts")
    .values({ id, key: input.key ?? null, type: input.type, description: input.description ?? null, data, flow_run_id: input.flow_run_id, task_run_id: input.task_run_id ?? null, created: stamp, updated: stamp })
    .execute();
  return readArtifact(db, id);
}

/** New data for an artifact (a progress artifact's percentage), checked against its type. */
export async function updateArtifact(db: Kysely<Database>, id: string, patch: { data: unknown; description?: string | undefined }, now: Date): Promise<Artifact> {
  const before = await readArtifact(db, id);
  const parsed = ArtifactDataSchemas[before.type].safeParse(patch.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ["body.data", ...issue.path.map(String)].join(".");
    throw new ValidationError(`ValidationError: ${path}: ${issue.message} (artifact ${id} is a ${before.type} artifact)`, [{ path, message: issue.message }]);
  }
  const data = checkSize(before.type, before.key, parsed.data);
  await db
    .updateTable("artifacts")
    .set({ data, updated: now.toISOString(), ...(patch.description !== undefined ? { description: patch.description } : {}) })
    .where("id", "=", id)
    .execute();
  return readArtifact(db, id);
}

export async function listArtifacts(db: Kysely<Database>, filter: ArtifactFilter): Promise<Page<Artifact>> {
  let q = selectArtifacts(db);
  if (filter.key !== undefined) q = q.where("a.key", "=", filter.key);
  if (filter.flow_run_id !== undefined) q = q.where("a.flow_run_id", "=", filter.flow_run_id);
  if (filter.task_run_id !== undefined) q = q.where("a.task_run_id", "=", filter.task_run_id);
  if (filter.type !== undefined) q = q.where("a.type", "=", filter.type);
  if (filter.latest) {
    q = q.where("a.key", "is not", null).where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("artifacts as newer").select("newer.id").whereRef("newer.key", "=", "a.key").whereRef("newer.id", ">", "a.id"))),
    );
  }
  if (filter.cursor) q = q.where("a.id", "<", decodeCursor(filter.cursor, 1)[0]!);
  const rows = await q.orderBy("a.id", "desc").limit(filter.limit + 1).execute();
  return pageFrom(rows, filter.limit, toArtifact, (r) => [r.id]);
}

export async function deleteArtifact(db: Kysely<Database>, id: string): Promise<void> {
  const deleted = await db.deleteFrom("artifacts").where("id", "=", id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new ArtifactNotFound(id);
}

/** The flow run an artifact belongs to (run-token and key-limit checks), or undefined when there is no such artifact. */
export async function artifactRunId(db: Kysely<Database>, id: string): Promise<string | undefined> {
  return (await db.selectFrom("artifacts").select("flow_run_id").where("id", "=", id).executeTakeFirst())?.flow_run_id;
}
