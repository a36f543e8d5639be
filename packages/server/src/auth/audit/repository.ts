import { uuidv7, type AuditEntry, type Page, type Role } from "@baton/core";
import type { Kysely } from "kysely";
import { decodeCursor, pageFrom } from "../../db/pagination.js";
import type { Database } from "../../db/schema.js";

export interface AuditRecord {
  actor: string;
  role: Role | null;
  action: string;
  object: string;
  status: number;
  address: string | null;
}

export async function recordAudit(db: Kysely<Database>, record: AuditRecord, now: Date): Promise<void> {
  await db.insertInto("audit_log").values({ id: uuidv7(now.getTime()), time: now.toISOString(), ...record }).execute();
}

export interface AuditQuery {
  limit: number;
  cursor?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  since?: string | undefined;
}

/** Newest first; the cursor is the (time, id) of the last entry of the page. */
export async function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<Page<AuditEntry>> {
  let q = db.selectFrom("audit_log").selectAll();
  if (query.actor) q = q.where("actor", "=", query.actor);
  if (query.action) q = q.where("action", "=", query.action);
  if (query.since) q = q.where("time", ">=", new Date(query.since).toISOString());
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("time", "<", time), eb.and([eb("time", "=", time), eb("id", "<", id)])]));
  }
  const rows = await q.orderBy("time", "desc").orderBy("id", "desc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, (row) => ({ ...row }), (row) => [row.time, row.id]);
}
