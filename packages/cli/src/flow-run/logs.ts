import { isTerminal, type Log } from "@baton/core";
import type { BatonClient } from "baton";
import { formatTime, levelName } from "../output/format.js";
import type { Output } from "../output/io.js";
import type { Colors } from "../output/colors.js";

export interface StreamLogsOptions {
  follow: boolean;
  /** Pause between polls while following. */
  pollMs: number;
  onLog(log: Log): void | Promise<void>;
  /** Stop after this many lines (`logs --head N`, `--limit N`). */
  max?: number;
}

/** Whether the stream stopped at `max` with lines still unread. */
export interface StreamLogsResult {
  cut: boolean;
}

const PAGE = 1000;

/**
 * Every log line of a run, oldest first, paged with the API's cursor. Following polls until
 * the run is terminal, then drains once more, so lines written just before the end are not lost.
 * A page with no next cursor is asked again from the same cursor on the next poll, skipping
 * the lines already printed: that is where new lines appear.
 */
export async function streamLogs(client: BatonClient, flowRunId: string, options: StreamLogsOptions): Promise<StreamLogsResult> {
  let cursor: string | undefined;
  let printed = new Set<string>();
  let finished = false;
  let count = 0;
  for (;;) {
    const page = await client.listLogs({ flow_run_id: flowRunId, limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const log of page.items) {
      if (printed.has(log.id)) continue;
      printed.add(log.id);
      if (options.max !== undefined && count >= options.max) return { cut: true };
      count += 1;
      await options.onLog(log);
    }
    if (page.next_cursor) {
      cursor = page.next_cursor;
      printed = new Set();
      continue;
    }
    if (!options.follow || finished) return { cut: false };
    const run = await client.readFlowRun(flowRunId);
    if (isTerminal(run.state_type)) finished = true;
    else await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

const LEVEL_COLORS: Record<string, keyof Colors> = { DEBUG: "dim", WARNING: "yellow", ERROR: "red", CRITICAL: "red" };

/**
 * Who wrote a line, as the run's own terminal says it: "Task run 'load-0'" or "Flow run
 * 'eager-ibis'". The server keeps only the IDs, so each run's name is read once and remembered;
 * a run that cannot be read is named by the line's logger name instead.
 */
export class LogAuthors {
  private readonly names = new Map<string, Promise<string | undefined>>();
  constructor(private readonly client: BatonClient) {}

  async of(log: Log): Promise<string> {
    const [kind, id] = log.task_run_id ? (["Task", log.task_run_id] as const) : (["Flow", log.flow_run_id] as const);
    let name = this.names.get(id);
    if (!name) {
      const read = kind === "Task" ? this.client.readTaskRun(id) : this.client.readFlowRun(id);
      name = read.then((run) => run.name, () => undefined);
      this.names.set(id, name);
    }
    const found = await name;
    return found ? `${kind} run '${found}'` : log.name;
  }
}

/** `2026-01-05 14:03:07.123 | INFO    | Task run 'load-0' - Loaded item: ALPHA` */
export function printLog(out: Output, log: Log, author: string = log.name): void {
  const level = levelName(log.level);
  const color = LEVEL_COLORS[level];
  const paint = color ? (out.colors[color] as (s: string) => string) : (s: string) => s;
  out.line(`${out.colors.dim(formatTime(log.timestamp, { milliseconds: true }))} | ${paint(level.padEnd(7))} | ${author} - ${log.message}`);
}

/** Prints each line with its run's name (see LogAuthors). */
export function logPrinter(client: BatonClient, out: Output): (log: Log) => Promise<void> {
  const authors = new LogAuthors(client);
  return async (log) => printLog(out, log, await authors.of(log));
}
