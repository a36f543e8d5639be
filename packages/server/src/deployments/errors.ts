import { NotFoundError } from "@baton/core";

export class DeploymentNotFound extends NotFoundError {
  override readonly code = "DeploymentNotFound";
  constructor(readonly ref: string) {
    super(`DeploymentNotFound: no deployment "${ref}"; list them with baton deployment ls, or create it with baton deploy`);
  }
}

export class DeploymentScheduleNotFound extends NotFoundError {
  override readonly code = "DeploymentScheduleNotFound";
  /** `deployment` is FLOW/NAME, as the CLI takes it: the hint is a command to run, as every NotFound's is. */
  constructor(readonly deployment: string, readonly scheduleId: string) {
    super(`DeploymentScheduleNotFound: deployment '${deployment}' has no schedule "${scheduleId}"; list its schedules with baton deployment schedule ls ${deployment}`);
  }
}
