import { BatonError } from "@baton/core/runtime";

/** `runDeployment("x")`: the name is not `flow/deployment`. */
export class InvalidDeploymentName extends BatonError {
  override readonly code = "InvalidDeploymentName";
  override readonly status = 400;
}

/** The deployment's run did not reach a final state within `timeout` seconds; it goes on. */
export class RunDeploymentTimeout extends BatonError {
  override readonly code = "RunDeploymentTimeout";
  constructor(
    message: string,
    readonly flowRunId: string,
  ) {
    super(message);
  }
}

/** `runDeployment("flow/deployment")`: there is no such deployment (or the caller may not see it). */
export class DeploymentNotFound extends BatonError {
  override readonly code = "DeploymentNotFound";
  override readonly status = 404;
}
