import { NotFoundError } from "@baton/core";

export class ArtifactNotFound extends NotFoundError {
  override readonly code = "ArtifactNotFound";
  constructor(readonly id: string) {
    super(`ArtifactNotFound: no artifact with ID "${id}"; list artifacts with baton artifact ls`);
  }
}
