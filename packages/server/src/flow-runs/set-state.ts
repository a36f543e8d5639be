import type { OrchestrationResult, SetStateBodySchema, State } from "@baton/core";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { orchestrationResult, stateToStore } from "../orchestration/result.js";
import { orchestrate } from "../orchestration/rules.js";
import { stateFromCreate } from "../orchestration/states.js";
import { readFlowRunRow, retryPolicyOf, saveFlowRunState } from "./repository.js";

/**
 * Propose a state for a flow run. The row is locked for the decision (FOR UPDATE on
 * PostgreSQL; SQLite's write transaction is already exclusive), so two workers proposing
 * RUNNING at once get one ACCEPT and one ABORT.
 */
export async function setFlowRunState(database: BatonDatabase, id: string, body: z.output<typeof SetStateBodySchema>, now: Date): Promise<OrchestrationResult> {
  return database.transaction(async (trx) => {
    const row = await readFlowRunRow(trx, id, { forUpdate: database.kind === "postgresql" });
    const current = fromJson<State>(row.state);
    const policy = retryPolicyOf(row);
    const decision = orchestrate(
      { state: current, run_count: row.run_count, retries: policy.retries, retry_delay_seconds: policy.retry_delay_seconds },
      stateFromCreate(body.state, now),
      { now, force: body.force, convertRetries: true },
    );
    const toStore = stateToStore(decision);
    if (toStore) await saveFlowRunState(database, trx, row, toStore, now);
    return orchestrationResult(decision, current);
  });
}
