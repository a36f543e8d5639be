import { NotFoundError, type Deployment } from "@baton/core";
import type { BatonClient } from "baton";
import { UsageError } from "../errors.js";
import { isNotFound } from "../api-errors.js";

export class DeploymentNotFound extends NotFoundError {
  override readonly code = "DeploymentNotFound";
}

/** `etl-flow/etl-prod` -> { flow, name }: deployments are named within their flow. */
export function parseDeploymentRef(ref: string): { flow: string; name: string } {
  const parts = ref.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new UsageError(`"${ref}" is not FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod); list deployments with baton deployment ls`);
  }
  return { flow: parts[0], name: parts[1] };
}

export async function readDeploymentRef(client: BatonClient, ref: string): Promise<Deployment> {
  const params = parseDeploymentRef(ref);
  try {
    return await client.call("readDeploymentByName", { params });
  } catch (error) {
    if (isNotFound(error)) {
      throw new DeploymentNotFound(`DeploymentNotFound: no deployment "${ref}"; list them with baton deployment ls, or create it with baton deploy`);
    }
    throw error;
  }
}
