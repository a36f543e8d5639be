import { ConflictError, NotFoundError, ValidationError } from "@baton/core";

export class WorkPoolNotFound extends NotFoundError {
  override readonly code = "WorkPoolNotFound";
  constructor(readonly pool: string) {
    super(`WorkPoolNotFound: no work pool "${pool}"; create it with baton work-pool create ${pool} --type process (or start a worker: baton worker start --pool ${pool})`);
  }
}

export class WorkQueueNotFound extends NotFoundError {
  override readonly code = "WorkQueueNotFound";
  constructor(readonly pool: string, readonly queue: string, known: readonly string[]) {
    super(`WorkQueueNotFound: work pool "${pool}" has no queue "${queue}"; its queues: ${known.join(", ") || "(none)"}; a deployment naming a new queue creates it`);
  }
}

export class WorkPoolExists extends ConflictError {
  override readonly code = "WorkPoolExists";
  constructor(readonly pool: string) {
    super(`WorkPoolExists: a work pool named "${pool}" exists already; change it with baton work-pool update ${pool}, or delete it first with baton work-pool delete ${pool}`);
  }
}

export class WorkQueueExists extends ConflictError {
  override readonly code = "WorkQueueExists";
  constructor(pool: string, queue: string) {
    super(`WorkQueueExists: work pool "${pool}" already has a queue "${queue}"; change it with baton work-queue update ${queue} --pool ${pool}`);
  }
}

export class DefaultQueueProtected extends ConflictError {
  override readonly code = "DefaultQueueProtected";
  constructor(pool: string) {
    super(`DefaultQueueProtected: the "default" queue of work pool "${pool}" cannot be deleted; runs with no queue go there. Pause it instead, or delete the pool`);
  }
}

/** A base job template with mistakes: every one of them, each with its path. */
export function invalidTemplate(issues: { path: string; message: string }[]): ValidationError {
  const prefixed = issues.map((i) => ({ path: `body.base_job_template.${i.path}`, message: i.message }));
  return new ValidationError(`ValidationError: the base job template is not usable: ${prefixed.map((i) => `${i.path}: ${i.message}`).join("; ")}`, prefixed);
}
