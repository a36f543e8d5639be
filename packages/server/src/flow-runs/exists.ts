import { FlowRunNotFound } from "@baton/core";
import type { Kysely } from "kysely";
import { idIn } from "../db/filters.js";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";

/** Fail with FlowRunNotFound (a 404 naming the run) before anything refers to a run that does not exist. */
export async function assertFlowRunsExist(database: BatonDatabase, trx: Kysely<Database>, ids: Iterable<string>): Promise<void> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return;
  // The key-share lock (PostgreSQL) keeps the runs from being deleted until the caller commits
  // what refers to them: the tables it fills have no foreign keys to do it.
  const rows = await trx
    .selectFrom("flow_runs")
    .select("id")
    .where(idIn(database.kind, "id", wanted))
    .$if(database.kind === "postgresql", (q) => q.forKeyShare())
    .execute();
  const found = new Set(rows.map((r) => r.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing) throw new FlowRunNotFound(missing);
}
