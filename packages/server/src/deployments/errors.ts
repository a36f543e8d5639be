import { NotFoundError } from "@baton/core";

export class DeploymentNotFound extends NotFoundError {
  override readonly code = "DeploymentNotFound";
  constructor(readonly ref: string) {
    super(`DeploymentNotFound: no deployment "${ref}"; list them with baton deployment ls, or create it with baton deploy`);
  }
}

export class DeploymentScheduleNotFound extends NotFoundError {
  override readonly code = "DeploymentScheduleNotFound";
  constructor(readonly deploymentId: string, readonly scheduleId: string) {
    super(`DeploymentScheduleNotFound: deployment ${deploymentId} has no schedule ${scheduleId}; its schedules are listed in GET /api/deployments/${deploymentId}`);
  }
}
