import type { OrchestrationResult, SetStateBodySchema } from "@baton/core";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { travel } from "../orchestration/road.js";
import { stateFromCreate } from "../orchestration/states.js";
import { readFlowRunRow } from "./repository.js";

/**
 * Propose a state for a flow run. The row is locked for the decision (FOR UPDATE on
 * PostgreSQL; SQLite's write transaction is already exclusive), so two workers proposing
 * RUNNING at once get one ACCEPT and one ABORT. `claimId`: the claim the proposer acts under
 * (the body's, or its run token's); a claim that is no longer the run's gets 409 StaleClaim.
 */
export async function setFlowRunState(
  database: BatonDatabase,
  id: string,
  body: z.output<typeof SetStateBodySchema>,
  now: Date,
  claimId: string | undefined = body.claim_id,
): Promise<OrchestrationResult> {
  return travel(database, async (road) => {
    const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
    const outcome = await road.one({ row, proposed: stateFromCreate(body.state, now), cause: "set-state", force: body.force, claimId }, now);
    return outcome.result;
  });
}
