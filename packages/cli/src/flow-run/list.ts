import { MAX_PAGE_SIZE, type FlowRun } from "@baton/core";
import type { BatonClient } from "baton";
import { colorState, formatTime, runDuration } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderTable } from "../output/table.js";

export interface ListFlowRunsOptions {
  state?: string[];
  flow?: string;
  limit: number;
  upcoming?: "include" | "exclude" | "only";
}

/** Newest first; pages through the API when the limit is above one page. */
export async function listFlowRuns(client: BatonClient, options: ListFlowRunsOptions): Promise<FlowRun[]> {
  const runs: FlowRun[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listFlowRuns({
      limit: Math.min(MAX_PAGE_SIZE, options.limit - runs.length),
      ...(cursor ? { cursor } : {}),
      ...(options.state ? { state: options.state } : {}),
      ...(options.flow ? { flow_name: options.flow } : {}),
      ...(options.upcoming ? { upcoming: options.upcoming } : {}),
    });
    runs.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && runs.length < options.limit);
  return runs.slice(0, options.limit);
}

export function printFlowRuns(out: Output, runs: FlowRun[]): void {
  if (runs.length === 0) {
    out.note("No flow runs match; run a flow with baton run path/to/file.ts:flowName");
    return;
  }
  const rows = runs.map((run) => [
    run.id,
    run.name,
    run.flow_name,
    colorState(run.state_type, run.state_name, out.colors),
    formatTime(run.start_time),
    runDuration(run.start_time, run.end_time),
  ]);
  out.line(renderTable(["ID", "NAME", "FLOW", "STATE", "START", "DURATION"], rows));
}
