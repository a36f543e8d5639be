import { NotFoundError, type Deployment } from "@baton/core";
import type { BatonClient } from "baton";
import { isNotFound } from "../api-errors.js";
import { MATCHES_SHOWN, resolveRef } from "../refs/resolve.js";

export class DeploymentNotFound extends NotFoundError {
  override readonly code = "DeploymentNotFound";
}

const notFound = (ref: string) => new DeploymentNotFound(`DeploymentNotFound: no deployment "${ref}"; list them with baton deployment ls, or create it with baton deploy`);
// A word that names nothing may be a flow's name typed for FLOW/DEPLOYMENT: say which forms work.
const noneNamed = (ref: string) =>
  new DeploymentNotFound(`DeploymentNotFound: no deployment "${ref}"; list them with baton deployment ls, or create it with baton deploy (name one as FLOW/DEPLOYMENT, e.g. etl-flow/etl-prod, by its name alone, or by its ID or an 8+ character ID prefix)`);

/**
 * A deployment as a user gives it: `etl-flow/etl-prod` (deployments are named within their flow),
 * its ID, a unique ID prefix (8+ characters), or its name alone when one flow has it.
 */
export async function readDeploymentRef(client: BatonClient, ref: string): Promise<Deployment> {
  const slash = ref.indexOf("/");
  try {
    if (slash > 0 && slash < ref.length - 1 && ref.indexOf("/", slash + 1) < 0) {
      return await client.call("readDeploymentByName", { params: { flow: ref.slice(0, slash), name: ref.slice(slash + 1) } });
    }
    const list = async (query: { id_prefix: string } | { name: string }) => {
      const { items } = await client.call("listDeployments", { query: { ...query, limit: MATCHES_SHOWN + 1 } });
      return items.map((d) => ({ id: d.id, label: `${d.id}  ${d.flow_name}/${d.name}` }));
    };
    const id = await resolveRef(ref, { what: "deployment", byIdPrefix: (prefix) => list({ id_prefix: prefix }), byName: (name) => list({ name }), notFound: noneNamed });
    return await client.call("readDeployment", { params: { id } });
  } catch (error) {
    if (isNotFound(error)) throw notFound(ref);
    throw error;
  }
}
