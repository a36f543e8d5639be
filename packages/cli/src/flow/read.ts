import { BatonError, MAX_PAGE_SIZE, type Deployment, type Flow, type FlowRun } from "@baton/core";
import { allPages, type BatonClient } from "baton";
import { colorState, formatTime, runDuration } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderFields, renderTable } from "../output/table.js";

export class FlowNotFound extends BatonError {
  override readonly code = "FlowNotFound";
  override readonly status = 404;
}

export interface FlowDetails {
  flow: Flow;
  deployments: Deployment[];
  /** The newest runs, newest first. */
  recent_runs: FlowRun[];
}

const RECENT_RUNS = 10;

/** The server's name filter matches parts of names; inspect wants the one flow of exactly that name. */
export async function readFlowDetails(client: BatonClient, name: string): Promise<FlowDetails> {
  const candidates = await allPages((cursor) => client.call("listFlows", { query: { name, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  const flow = candidates.find((f) => f.name === name);
  if (!flow) {
    const similar = candidates.slice(0, 5).map((f) => `'${f.name}'`);
    throw new FlowNotFound(`FlowNotFound: no flow named '${name}'${similar.length ? ` (did you mean ${similar.join(", ")}?)` : ""}; list flows with baton flow ls`);
  }
  const [deployments, runs] = await Promise.all([
    allPages((cursor) => client.call("listDeployments", { query: { flow_name: name, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } })),
    client.listFlowRuns({ flow_name: name, limit: RECENT_RUNS, upcoming: "exclude" }),
  ]);
  return { flow, deployments, recent_runs: runs.items };
}

export function printFlows(out: Output, flows: Flow[]): void {
  if (flows.length === 0) return out.note("No flows yet; a flow is registered when it first runs (baton run FILE:FLOW) or is deployed (baton deploy)");
  out.line(renderTable(["NAME", "ID", "TAGS", "CREATED"], flows.map((f) => [f.name, f.id, f.tags.join(", "), formatTime(f.created)])));
}

export function printFlowDetails(out: Output, { flow, deployments, recent_runs: runs }: FlowDetails): void {
  const { colors } = out;
  out.line(colors.bold(`Flow ${flow.name}`));
  out.line(renderFields([["ID", flow.id], ["Tags", flow.tags.join(", ") || "-"], ["Created", formatTime(flow.created)]]));
  out.line();
  out.line(colors.bold(`Deployments (${deployments.length})`));
  if (deployments.length) out.line(renderTable(["NAME", "POOL", "PAUSED"], deployments.map((d) => [`${flow.name}/${d.name}`, d.work_pool_name ?? "-", d.paused ? "yes" : "no"])));
  out.line();
  out.line(colors.bold(`Recent runs (${runs.length})`));
  if (runs.length) {
    out.line(renderTable(["ID", "NAME", "STATE", "START", "DURATION"], runs.map((r) => [r.id, r.name, colorState(r.state_type, r.state_name, colors), formatTime(r.start_time), runDuration(r.start_time, r.end_time)])));
  }
}
