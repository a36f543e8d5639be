import { type DeploymentRunSchema, type FlowRun } from "@baton/core";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { toFlowRun } from "../flow-runs/repository.js";
import { handToWaitingClaim } from "../orchestration/claim-desk.js";
import { travel } from "../orchestration/road.js";
import { ensureWorkQueue } from "../work-pools/queues.js";
import { readWorkPoolRow } from "../work-pools/repository.js";
import { assertJobVariablesAllowed } from "../work-pools/job-variables.js";
import { announceRuns } from "../wake-up/notifier.js";
import { insertDeploymentRun } from "./insert-run.js";
import { checkParameters } from "./parameters.js";
import { assertRunIdFree, checkParent } from "./run-parent.js";
import { readDeploymentRow } from "./read.js";

/**
 * A run of a deployment on demand: SCHEDULED now (or at the given time) in the deployment's
 * pool and queue, with the deployment's parameters under the request's. Everything is checked
 * before anything is written; the same idempotency key twice answers with the first run. A run
 * due now goes straight to a claim waiting in this process, if one may take it.
 */
export async function runDeployment(database: BatonDatabase, id: string, input: z.output<typeof DeploymentRunSchema>, now: Date, traceparent?: string): Promise<FlowRun> {
  return travel(database, async (road) => {
    const trx = road.trx;
    const deployment = await readDeploymentRow(trx, id);
    // A caller that chose the run's ID and sends it again (a retried request) gets that run.
    const idempotencyKey = input.idempotency_key ?? (input.id ? `run:${input.id}` : undefined);
    if (idempotencyKey) {
      const existing = await trx.selectFrom("flow_runs").selectAll().where("deployment_id", "=", id).where("idempotency_key", "=", idempotencyKey).executeTakeFirst();
      if (existing) return toFlowRun(existing);
    }
    if (input.id) await assertRunIdFree(trx, input.id);
    const parent = await checkParent(trx, input);
    const parameters = { ...fromJson<Record<string, unknown>>(deployment.parameters), ...input.parameters };
    if (deployment.enforce_parameter_schema && deployment.parameter_schema) checkParameters(fromJson(deployment.parameter_schema), parameters);
    if (deployment.work_pool_name) {
      const pool = await readWorkPoolRow(trx, deployment.work_pool_name);
      assertJobVariablesAllowed(pool, input.job_variables, "body.job_variables");
      if (deployment.work_queue_name) await ensureWorkQueue(trx, pool, deployment.work_queue_name, now);
    }
    const spec = {
      parameters,
      job_variables: input.job_variables,
      tags: input.tags,
      name: input.name,
      scheduledTime: input.scheduled_time ? new Date(input.scheduled_time) : now,
      idempotencyKey: idempotencyKey ?? null,
      scheduleId: null,
      id: input.id,
      parent,
      traceparent,
    };
    const row = await insertDeploymentRun(database, trx, deployment, spec, now);
    if (!row) {
      // The same key raced in from another request and won: answer with its run.
      const winner = await trx.selectFrom("flow_runs").selectAll().where("deployment_id", "=", id).where("idempotency_key", "=", idempotencyKey!).executeTakeFirstOrThrow();
      return toFlowRun(winner);
    }
    // Handed over, the run is PENDING: other replicas' claims have nothing to look for.
    const handed = await handToWaitingClaim(road, row, now, deployment);
    if (handed) return handed;
    await announceRuns(database, trx, [row.work_pool_name]);
    return toFlowRun(row);
  });
}
