import { ConflictError, FlowRunNotFound, TaskRunNotFound, ValidationError, type DeploymentRunSchema } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { Database } from "../db/schema.js";

export class FlowRunIdTaken extends ConflictError {
  override readonly code = "FlowRunIdTaken";
  constructor(readonly id: string) {
    super(`FlowRunIdTaken: body.id: a flow run with ID "${id}" exists already (of another deployment or with another idempotency key); leave id out to get a new one`);
  }
}

/** A chosen ID must be new: the same ID sent again is answered by its idempotency key before this. */
export async function assertRunIdFree(trx: Kysely<Database>, id: string): Promise<void> {
  const taken = await trx.selectFrom("flow_runs").select("id").where("id", "=", id).executeTakeFirst();
  if (taken) throw new FlowRunIdTaken(id);
}

/** The run (and the task run standing for the call) that started a run from its code. */
export interface ParentRun {
  flowRunId: string;
  taskRunId: string | null;
  /** false: the run goes on when its parent is cancelled (runDeployment's cancelWithParent). */
  cancelWithParent: boolean;
}

/**
 * The parent a run started from a flow names: the run must exist, and the task run standing for
 * the call must belong to it (a run cannot be hung under another run's graph).
 */
export async function checkParent(trx: Kysely<Database>, input: z.output<typeof DeploymentRunSchema>): Promise<ParentRun | undefined> {
  if (!input.parent_flow_run_id) {
    if (input.cancel_with_parent === false) {
      throw new ValidationError("ValidationError: body.cancel_with_parent: only a run with a parent can outlive it; send body.parent_flow_run_id too, or leave cancel_with_parent out", [
        { path: "body.parent_flow_run_id", message: "required with cancel_with_parent" },
      ]);
    }
    if (input.parent_task_run_id) {
      throw new ValidationError("ValidationError: body.parent_task_run_id: a parent task run needs its flow run; send body.parent_flow_run_id too", [
        { path: "body.parent_flow_run_id", message: "required with parent_task_run_id" },
      ]);
    }
    return undefined;
  }
  const run = await trx.selectFrom("flow_runs").select("id").where("id", "=", input.parent_flow_run_id).executeTakeFirst();
  if (!run) throw new FlowRunNotFound(input.parent_flow_run_id);
  if (input.parent_task_run_id) {
    const task = await trx.selectFrom("task_runs").select("flow_run_id").where("id", "=", input.parent_task_run_id).executeTakeFirst();
    if (!task) throw new TaskRunNotFound(input.parent_task_run_id);
    if (task.flow_run_id !== input.parent_flow_run_id) {
      throw new ValidationError(`ValidationError: body.parent_task_run_id: task run ${input.parent_task_run_id} belongs to flow run ${task.flow_run_id}, not to body.parent_flow_run_id ${input.parent_flow_run_id}`, [
        { path: "body.parent_task_run_id", message: "not a task run of the parent flow run" },
      ]);
    }
  }
  return { flowRunId: input.parent_flow_run_id, taskRunId: input.parent_task_run_id ?? null, cancelWithParent: input.cancel_with_parent ?? true };
}
