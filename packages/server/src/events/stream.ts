import type { ServerResponse } from "node:http";

const KEEP_ALIVE_MS = 15_000;

/**
 * One server-sent-events response: writes `event:`/`data:` frames, a comment every 15 s so
 * proxies and load balancers do not time the stream out, and cleans up once, whichever side
 * ends it (the browser leaves, or the server closes).
 */
export class EventStream {
  private readonly timer: NodeJS.Timeout;
  private readonly cleanups: (() => void)[] = [];
  private closed = false;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx buffers responses unless told not to; a buffered event stream is a dead one.
      "x-accel-buffering": "no",
    });
    res.write("retry: 3000\n\n");
    this.timer = setInterval(() => this.comment("keep-alive"), KEEP_ALIVE_MS);
    this.timer.unref();
    res.on("close", () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(cleanup: () => void): void {
    if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  /** End the response and forget the subscriptions; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (!this.res.writableEnded) this.res.end();
    this.res.destroy();
  }
}
