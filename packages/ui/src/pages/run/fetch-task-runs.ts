import { call } from "../../api/client";
import type { TaskRun } from "../../api/types";

const PAGE_SIZE = 500;
/** 20,000 task runs: beyond this the page says how many it shows rather than load forever. */
const MAX_PAGES = 40;

export interface TaskRunsOfRun {
  items: TaskRun[];
  /** More task runs exist than were fetched (the page says so). */
  truncated: boolean;
}

/** Every task run of a flow run, oldest first, following the API's cursor 500 at a time. */
export async function fetchTaskRunsOfRun(flowRunId: string): Promise<TaskRunsOfRun> {
  const items: TaskRun[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await call("listTaskRuns", { query: { flow_run_id: flowRunId, limit: PAGE_SIZE, cursor } });
    items.push(...result.items);
    if (!result.next_cursor) return { items, truncated: false };
    cursor = result.next_cursor;
  }
  return { items, truncated: true };
}
