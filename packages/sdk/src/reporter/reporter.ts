import { ApiError, type LogCreate, type RunReport, type StateCreate, type TaskRunCreate } from "@baton/core";
import type { BatonClient } from "../client/index.js";

type Event =
  | { kind: 0; taskRun: TaskRunCreate; first: StateCreate | undefined }
  | { kind: 1; state: { task_run_id: string; state: StateCreate } }
  | { kind: 2; log: LogCreate };

export interface ReporterOptions {
  /** How long an event may wait for company before it is sent. */
  intervalMs?: number;
  /** Send at once when this many events are waiting (and nothing is in flight). */
  sizeThreshold?: number;
  /** Events in one request; well under the API's per-list limits. */
  maxBatch?: number;
}

/**
 * Sends task runs, their states and log lines to the server in batches (`POST /api/reports`).
 * Events are kept in one queue in the order they happened and sent by one request at a time,
 * so a task run's creation always reaches the server before its states; while a request is in
 * flight new events pile up and leave together in the next one, which is what makes thousands
 * of task runs a second cheap to record.
 */
export class Reporter {
  private queue: Event[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly sizeThreshold: number;
  private readonly maxBatch: number;

  constructor(
    private readonly client: BatonClient,
    options: ReporterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 150;
    this.sizeThreshold = options.sizeThreshold ?? 3000;
    // Under the API's per-list limits even when every event is a task run with its first state.
    this.maxBatch = options.maxBatch ?? 10_000;
  }

  get pending(): number {
    return this.queue.length;
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
    this.push({ kind: 2, log });
  }

  private push(event: Event): void {
    this.queue.push(event);
    if (this.sending) return; // the loop in flight takes it
    if (this.queue.length >= this.sizeThreshold) this.startSending();
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

  /** Everything queued so far is on the server when this resolves (or was reported as lost). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.sending) await this.startSending();
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length > 0) {
      const events = this.queue.splice(0, this.maxBatch);
      await this.send(events);
    }
  }

  private async send(events: Event[]): Promise<void> {
    const body: Required<RunReport> = { task_runs: [], task_run_states: [], logs: [] };
    for (const e of events) {
      if (e.kind === 0) {
        body.task_runs.push(e.taskRun);
        if (e.first) body.task_run_states.push({ task_run_id: e.taskRun.id, state: e.first });
      }
      else if (e.kind === 1) body.task_run_states.push(e.state);
      else body.logs.push(e.log);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.client.report(body);
        for (const r of result.rejected) {
          process.stderr.write(`baton: the server refused a state of task run ${r.task_run_id}: ${r.reason}\n`);
        }
        return;
      } catch (error) {
        // A 4xx will not get better by sending the same body again; an outage might.
        const permanent = error instanceof ApiError && error.status < 500;
        if (permanent || attempt >= 5) {
          process.stderr.write(
            `baton: could not record ${body.task_runs.length} task runs, ${body.task_run_states.length} task run states and ${body.logs.length} log lines on ${this.client.target}: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }
}
