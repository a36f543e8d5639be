import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Events that did not fit in memory, one JSON line each, in order, in a file of the run's
 * temporary folder. Written at the end, read from the front; emptied (truncated) once read.
 */
export class SpillFile<T> {
  private fd: number | undefined;
  private dir: string | undefined;
  private writeOffset = 0;
  private readOffset = 0;
  private count = 0;

  constructor(private readonly parent: () => string = () => tmpdir()) {}

  /** Events written and not read back yet. */
  get length(): number {
    return this.count;
  }
  /** Bytes written and not read back yet. */
  get bytes(): number {
    return this.writeOffset - this.readOffset;
  }

  append(event: T): number {
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(this.parent(), "baton-reports-"));
      this.fd = openSync(join(this.dir, "pending.jsonl"), "w+");
    }
    const line = Buffer.from(`${JSON.stringify(event)}\n`);
    writeSync(this.fd, line, 0, line.length, this.writeOffset);
    this.writeOffset += line.length;
    this.count += 1;
    return line.length;
  }

  /** Reads events from the front until about `maxBytes` (at least one). */
  take(maxBytes: number): Array<{ event: T; bytes: number }> {
    const out: Array<{ event: T; bytes: number }> = [];
    if (this.fd === undefined || this.count === 0) return out;
    let want = Math.min(Math.max(maxBytes, 64 * 1024), this.bytes);
    for (;;) {
      const buffer = Buffer.alloc(want);
      const read = readSync(this.fd, buffer, 0, want, this.readOffset);
      let start = 0;
      for (let nl = buffer.indexOf(10, 0); nl !== -1 && nl < read; nl = buffer.indexOf(10, start)) {
        out.push({ event: JSON.parse(buffer.toString("utf8", start, nl)) as T, bytes: nl + 1 - start });
        start = nl + 1;
      }
      if (out.length > 0 || want >= this.bytes) {
        this.readOffset += start;
        this.count -= out.length;
        break;
      }
      want = Math.min(want * 2, this.bytes); // one line longer than the chunk
    }
    if (this.count === 0) this.reset();
    return out;
  }

  private reset(): void {
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
    this.writeOffset = this.readOffset = 0;
  }

  remove(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.fd = this.dir = undefined;
    this.writeOffset = this.readOffset = this.count = 0;
  }
}
