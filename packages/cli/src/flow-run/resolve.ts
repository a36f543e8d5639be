import type { BatonClient } from "baton";
import { UsageError } from "../errors.js";
import { MATCHES_SHOWN, resolveRef } from "../refs/resolve.js";

/** A flow run by full ID, unique ID prefix (8+ characters) or name; what every flow-run command takes. */
export function resolveFlowRunId(client: BatonClient, ref: string): Promise<string> {
  const list = async (query: { id_prefix: string } | { name: string }) => {
    const { items } = await client.call("listFlowRuns", { query: { ...query, limit: MATCHES_SHOWN + 1 } });
    return items.map((run) => ({ id: run.id, label: `${run.id}  ${run.name}  ${run.flow_name}  ${run.state_name}` }));
  };
  return resolveRef(ref, {
    what: "flow run",
    byIdPrefix: (prefix) => list({ id_prefix: prefix }),
    byName: (name) => list({ name }),
    notFound: (given) => new UsageError(`"${given}" is not a flow run ID, ID prefix (8+ characters) or name; list runs and their IDs with baton flow-run ls`),
  });
}
