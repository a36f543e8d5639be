import { NotFoundError } from "@baton/core";

export class DeploymentNotFound extends NotFoundError {
  override readonly code = "DeploymentNotFound";
  constructor(readonly ref: string) {
    super(`DeploymentNotFound: no deployment "${ref}"; list them with baton deployment ls, or create it with baton deploy`);
  }
}
