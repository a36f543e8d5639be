import { MAX_PAGE_SIZE, type FlowRun, type FlowRunSort } from "@baton/core";
import type { BatonClient } from "baton";
import { colorState, formatTime, runDuration } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderTable } from "../output/table.js";

export interface ListFlowRunsOptions {
  state?: string[];
  flow?: string;
  deploymentId?: string;
  pool?: string;
  tags?: string[];
  /** When runs were due to start (their first scheduled time; creation for unscheduled ones). */
  since?: string;
  until?: string;
  limit: number;
  upcoming?: "include" | "exclude" | "only";
  /** The server's order (newest created first by default); each page continues it by cursor. */
  sort?: FlowRunSort;
}

/** When a run starts or was due to: what `--upcoming` sorts and shows. */
export const dueTime = (run: FlowRun): string => run.expected_start_time ?? run.created;

/**
 * Newest first (or `sort`); pages through the API when the limit is above one page. Upcoming runs only come
 * soonest first: a schedule makes them ahead in any order, so all are read (a schedule keeps about
 * a hundred per deployment) and sorted by when they are due.
 */
export async function listFlowRuns(client: BatonClient, options: ListFlowRunsOptions): Promise<FlowRun[]> {
  const soonestFirst = options.upcoming === "only";
  const runs: FlowRun[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listFlowRuns({
      limit: soonestFirst ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, options.limit - runs.length),
      ...(cursor ? { cursor } : {}),
      ...(options.state ? { state: options.state } : {}),
      ...(options.flow ? { flow_name: options.flow } : {}),
      ...(options.deploymentId ? { deployment_id: options.deploymentId } : {}),
      ...(options.pool ? { work_pool_name: options.pool } : {}),
      ...(options.tags?.length ? { tag: options.tags } : {}),
      ...(options.since ? { expected_start_after: options.since } : {}),
      ...(options.until ? { expected_start_before: options.until } : {}),
      ...(options.upcoming ? { upcoming: options.upcoming } : {}),
      ...(options.sort ? { sort: options.sort } : {}),
    });
    runs.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && (soonestFirst || runs.length < options.limit));
  if (soonestFirst) runs.sort((a, b) => dueTime(a).localeCompare(dueTime(b)));
  return runs.slice(0, options.limit);
}

/** `upcoming`: the START column shows when each run is due, since none has started. */
export function printFlowRuns(out: Output, runs: FlowRun[], options: { upcoming?: boolean } = {}): void {
  if (runs.length === 0) {
    out.note("No flow runs match; run a flow with baton run path/to/file.ts:flowName");
    return;
  }
  const rows = runs.map((run) => [
    run.id,
    run.name,
    run.flow_name,
    colorState(run.state_type, run.state_name, out.colors),
    formatTime(options.upcoming ? dueTime(run) : run.start_time),
    runDuration(run.start_time, run.end_time),
  ]);
  out.line(renderTable(["ID", "NAME", "FLOW", "STATE", "START", "DURATION"], rows));
}
