import { isTerminal, type Log } from "@baton/core";
import type { BatonClient } from "baton";
import { formatTime, levelName } from "../output/format.js";
import type { Output } from "../output/io.js";
import type { Colors } from "../output/colors.js";

export interface StreamLogsOptions {
  follow: boolean;
  /** Pause between polls while following. */
  pollMs: number;
  onLog(log: Log): void;
}

const PAGE = 1000;

/**
 * Every log line of a run, oldest first, paged with the API's cursor. Following polls until
 * the run is terminal, then drains once more, so lines written just before the end are not lost.
 * A page with no next cursor is asked again from the same cursor on the next poll, skipping
 * the lines already printed: that is where new lines appear.
 */
export async function streamLogs(client: BatonClient, flowRunId: string, options: StreamLogsOptions): Promise<void> {
  let cursor: string | undefined;
  let printed = new Set<string>();
  let finished = false;
  for (;;) {
    const page = await client.listLogs({ flow_run_id: flowRunId, limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const log of page.items) {
      if (printed.has(log.id)) continue;
      printed.add(log.id);
      options.onLog(log);
    }
    if (page.next_cursor) {
      cursor = page.next_cursor;
      printed = new Set();
      continue;
    }
    if (!options.follow || finished) return;
    const run = await client.readFlowRun(flowRunId);
    if (isTerminal(run.state_type)) finished = true;
    else await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

const LEVEL_COLORS: Record<string, keyof Colors> = { DEBUG: "dim", WARNING: "yellow", ERROR: "red", CRITICAL: "red" };

export function printLog(out: Output, log: Log): void {
  const level = levelName(log.level);
  const color = LEVEL_COLORS[level];
  const paint = color ? (out.colors[color] as (s: string) => string) : (s: string) => s;
  out.line(`${out.colors.dim(formatTime(log.timestamp, { milliseconds: true }))} ${paint(level.padEnd(8))} ${out.colors.dim(log.name)} - ${log.message}`);
}
