import type { LogCreate, RunReport, RunReportResult, StateCreate, TaskRunCreate } from "@baton/core";
import { ApiConnectionError, ApiError } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";
import { backoffMs, DEFAULT_OUTAGE_MS, isRetryableStatus, retryAfterSeconds } from "./retry-policy.js";
import { SpillFile } from "./spill-file.js";

type Event =
  | { kind: 0; taskRun: TaskRunCreate; first: StateCreate | undefined }
  | { kind: 1; state: { task_run_id: string; state: StateCreate } }
  | { kind: 2; log: LogCreate };

interface Sized {
  event: Event;
  /** About the bytes it adds to a request body. */
  bytes: number;
}

export interface ReporterOptions {
  /** How long an event may wait for company before it is sent. */
  intervalMs?: number;
  /** Send at once when this many events are waiting (and nothing is in flight). */
  sizeThreshold?: number;
  /** Events in one request; well under the API's per-list limits. */
  maxBatch?: number;
  /** Bytes in one request body; well under the server's body limit (64 MiB). */
  maxBatchBytes?: number;
  /** Events kept in memory before the rest goes to a file (while the server is slow or down). */
  memoryBytes?: number;
  /** The most a file of waiting events may hold; past it new events are dropped (and counted). */
  maxSpillBytes?: number;
  /** Where that file goes: the run's temporary folder (default the system's). */
  spillDir?: () => string;
  /** How long to keep sending while the server cannot be reached (BATON_API_OUTAGE_SECONDS). */
  outageMs?: number;
}

/** The API's limit on one log line (LogCreateSchema). */
export const MAX_LOG_MESSAGE = 1_000_000;

/** A line over the API's limit keeps its start and says how long it was: cut, never dropped. */
export function cutLogMessage(message: string): string {
  return message.length > MAX_LOG_MESSAGE ? `${message.slice(0, MAX_LOG_MESSAGE - 60)}... [truncated from ${message.length} characters]` : message;
}

const sizeOf = (event: Event): number => JSON.stringify(event).length + 8;

/**
 * Sends task runs, their states and log lines to the server in batches (`POST /api/reports`).
 * Events are kept in one queue in the order they happened and sent by one request at a time,
 * so a task run's creation always reaches the server before its states; while a request is in
 * flight new events pile up and leave together in the next one, which is what makes thousands
 * of task runs a second cheap to record.
 *
 * The server may be down for a while (a restart, an outage): a batch that could not be sent is
 * sent again, with backoff and jitter, for as long as BATON_API_OUTAGE_SECONDS; meanwhile new
 * events wait in memory and then, past `memoryBytes`, in a file, still in order.
 */
export class Reporter {
  private queue: Sized[] = [];
  private queueBytes = 0;
  private readonly spill: SpillFile<Event>;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  /** When the server stopped answering; undefined while it does. */
  private outageSince: number | undefined;
  private dropped = 0;
  private readonly intervalMs: number;
  private readonly sizeThreshold: number;
  private readonly maxBatch: number;
  private readonly maxBatchBytes: number;
  private readonly memoryBytes: number;
  private readonly maxSpillBytes: number;
  readonly outageMs: number;

  constructor(
    private readonly client: BatonClient,
    options: ReporterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 150;
    this.sizeThreshold = options.sizeThreshold ?? 3000;
    // Under the API's per-list limits even when every event is a task run with its first state.
    this.maxBatch = options.maxBatch ?? 10_000;
    // An eighth of the body limit: room for characters that take several bytes in UTF-8.
    this.maxBatchBytes = options.maxBatchBytes ?? 8 * 1024 * 1024;
    this.memoryBytes = options.memoryBytes ?? 64 * 1024 * 1024;
    this.maxSpillBytes = options.maxSpillBytes ?? 1024 * 1024 * 1024;
    this.outageMs = options.outageMs ?? DEFAULT_OUTAGE_MS;
    this.spill = new SpillFile<Event>(options.spillDir);
  }

  get pending(): number {
    return this.queue.length + this.spill.length;
  }

  /**
   * A new task run, with its first state: they travel in the same request, so the server never
   * sees the run without its own first state (it would make a PENDING of its own, stamped later).
   */
  addTaskRun(taskRun: TaskRunCreate, first?: StateCreate): void {
    this.push({ kind: 0, taskRun, first });
  }
  addState(taskRunId: string, state: StateCreate): void {
    this.push({ kind: 1, state: { task_run_id: taskRunId, state } });
  }
  addLog(log: LogCreate): void {
    // One oversized line must not get the whole batch around it refused by the API.
    this.push({ kind: 2, log: log.message.length > MAX_LOG_MESSAGE ? { ...log, message: cutLogMessage(log.message) } : log });
  }

  private push(event: Event): void {
    const bytes = sizeOf(event);
    // Once anything is in the file, everything after it goes there too: order is kept.
    if (this.spill.length > 0 || this.queueBytes + bytes > this.memoryBytes) {
      if (this.spill.bytes + bytes > this.maxSpillBytes) {
        if (this.dropped++ === 0) process.stderr.write(`baton: more run events are waiting for ${this.client.target} than fit (${this.maxSpillBytes} bytes); new ones are dropped until the server takes some\n`);
        return;
      }
      this.spill.append(event);
    } else {
      this.queue.push({ event, bytes });
      this.queueBytes += bytes;
    }
    if (this.sending) return; // the loop in flight takes it
    if (this.pending >= this.sizeThreshold) this.startSending();
    else if (!this.timer) {
      // unref'd: a pending batch alone must not keep a finished script alive; beforeExit flushes it.
      this.timer = setTimeout(() => this.startSending(), this.intervalMs);
      this.timer.unref();
    }
  }

  private startSending(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.sending ??= this.sendAll().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  /**
   * Everything queued so far is on the server when this resolves, or was given up on (the
   * server refused it, or stayed unreachable past the outage setting), which stderr says.
   */
  async flush(): Promise<void> {
    while (this.pending > 0 || this.sending) await this.startSending();
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        for (const item of this.spill.take(this.maxBatchBytes)) this.queue.push(item);
        if (this.queue.length === 0) {
          this.spill.remove();
          return;
        }
        this.queueBytes = this.queue.reduce((sum, item) => sum + item.bytes, 0);
      }
      let count = 0;
      let bytes = 0;
      while (count < this.queue.length && count < this.maxBatch && (count === 0 || bytes + this.queue[count]!.bytes <= this.maxBatchBytes)) bytes += this.queue[count++]!.bytes;
      const batch = this.queue.splice(0, count);
      this.queueBytes -= bytes;
      await this.deliver(batch.map((item) => item.event));
    }
  }

  /** Sends `events` until the server takes them, splitting on 413, giving up as the class says. */
  private async deliver(events: Event[]): Promise<void> {
    const body = toReport(events);
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let answer: unknown;
      let retryAfter: number | undefined;
      try {
        const response = await this.client.transport.request({ method: "POST", path: "/reports", body });
        status = response.status;
        answer = response.body;
        retryAfter = retryAfterSeconds(response.headers?.["retry-after"]);
      } catch (error) {
        if (!(error instanceof ApiConnectionError)) return this.giveUp(body, error);
        status = 0; // not reached: an outage
        answer = { message: error instanceof Error ? error.message : String(error) };
      }
      if (status > 0 && status < 400) {
        this.outageSince = undefined;
        for (const r of (answer as RunReportResult).rejected ?? []) {
          process.stderr.write(`baton: the server refused a state of task run ${r.task_run_id}: ${r.reason}\n`);
        }
        return;
      }
      const error = new ApiError(status, (answer as { code?: string })?.code ?? "ApiError", (answer as { message?: string })?.message ?? `POST /reports answered ${status}`);
      if (status === 413 && events.length > 1) {
        // Too big for the server's body limit: each half on its own, still in order.
        const half = Math.ceil(events.length / 2);
        await this.deliver(events.slice(0, half));
        await this.deliver(events.slice(half));
        return;
      }
      if (status !== 0 && !isRetryableStatus(status)) return this.giveUp(body, error);
      this.outageSince ??= Date.now();
      if (Date.now() - this.outageSince >= this.outageMs) return this.giveUp(body, error, true);
      // ref'd on purpose: the process stays until its events are taken or the outage bound is reached.
      await new Promise((r) => setTimeout(r, backoffMs(attempt, retryAfter)));
    }
  }

  private giveUp(body: Required<RunReport>, error: unknown, outage = false): void {
    const why = outage ? `the server could not take them for ${Math.round(this.outageMs / 1000)}s (BATON_API_OUTAGE_SECONDS); last answer: ` : "";
    process.stderr.write(
      `baton: could not record ${body.task_runs.length} task runs, ${body.task_run_states.length} task run states and ${body.logs.length} log lines on ${this.client.target}: ${why}${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}

function toReport(events: Event[]): Required<RunReport> {
  const body: Required<RunReport> = { task_runs: [], task_run_states: [], logs: [] };
  for (const e of events) {
    if (e.kind === 0) {
      body.task_runs.push(e.taskRun);
      if (e.first) body.task_run_states.push({ task_run_id: e.taskRun.id, state: e.first });
    } else if (e.kind === 1) body.task_run_states.push(e.state);
    else body.logs.push(e.log);
  }
  return body;
}
