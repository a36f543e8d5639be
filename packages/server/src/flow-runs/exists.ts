import { FlowRunNotFound } from "@baton/core";
import type { Kysely } from "kysely";
import { chunksOf } from "../db/rows.js";
import type { Database } from "../db/schema.js";

/** Fail with FlowRunNotFound (a 404 naming the run) before anything refers to a run that does not exist. */
export async function assertFlowRunsExist(db: Kysely<Database>, ids: Iterable<string>): Promise<void> {
  const wanted = [...new Set(ids)];
  for (const chunk of chunksOf(wanted, 5000)) {
    const found = new Set((await db.selectFrom("flow_runs").select("id").where("id", "in", chunk).execute()).map((r) => r.id));
    const missing = chunk.find((id) => !found.has(id));
    if (missing) throw new FlowRunNotFound(missing);
  }
}
