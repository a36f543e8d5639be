import type { BatonClient } from "baton";

/** Lines written on a run's log by the worker (Pending reasons, the pod's output), batched. */
export class RunLog {
  private buffer: Array<{ level: number; message: string; timestamp: string }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: BatonClient,
    private readonly flowRunId: string,
    private readonly name: string,
    private readonly onError: (error: unknown) => void,
    /** The pod prints what it likes, secrets included: masked before it reaches the run's log. */
    private readonly mask: (text: string) => string = (text) => text,
  ) {}

  write(level: number, message: string): void {
    this.buffer.push({ level, message: this.mask(message), timestamp: new Date().toISOString() });
    this.timer ??= setTimeout(() => void this.flush(), 300);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer.splice(0);
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.client
        .writeLogs(batch.map((l) => ({ flow_run_id: this.flowRunId, name: this.name, ...l })))
        .then(() => undefined, this.onError),
    );
    return this.flushing;
  }
}
