import { StringDecoder } from "node:string_decoder";
import { OutputTail } from "./output-tail.js";

/** A line longer than this is passed on in pieces: a program that never writes "\n" must not fill memory. */
const MAX_LINE = 64 * 1024;

/**
 * Turns one output stream's chunks into whole lines. Chunks split anywhere: between "hel" and
 * "lo\n", or inside a character (the three bytes of "€" in two reads), so each stream has its own
 * decoder that holds an incomplete character and its own buffer that holds an incomplete line.
 */
export class LineDecoder {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  /** The stream ended: what is left (an incomplete character shows as U+FFFD) is the last line. */
  end(): void {
    this.take(this.decoder.end());
    if (this.partial) this.onLine(this.partial);
    this.partial = "";
  }

  private take(text: string): void {
    if (!text) return;
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop()!;
    for (const line of parts) this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    while (this.partial.length > MAX_LINE) {
      // Never cut between the two halves of a surrogate pair.
      const at = isHighSurrogate(this.partial.charCodeAt(MAX_LINE - 1)) ? MAX_LINE - 1 : MAX_LINE;
      this.onLine(this.partial.slice(0, at));
      this.partial = this.partial.slice(at);
    }
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

export interface OutputTargets {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * A run's stdout and stderr, each split into lines by its own decoder: every line goes to the
 * tail kept for a crash message and, when asked, to the worker's output with the run's prefix.
 * Used for processes and containers alike.
 */
export class RunOutput {
  readonly tail = new OutputTail();
  readonly stdout: LineDecoder;
  readonly stderr: LineDecoder;

  constructor(options: { streamOutput?: boolean | undefined; prefix?: string | undefined; targets?: OutputTargets | undefined }) {
    const targets = options.targets ?? { stdout: process.stdout, stderr: process.stderr };
    const prefix = options.prefix ?? "";
    const to = (target: NodeJS.WritableStream) =>
      new LineDecoder((line) => {
        this.tail.push(line);
        if (options.streamOutput) target.write(line ? `${prefix}${line}\n` : "\n");
      });
    this.stdout = to(targets.stdout);
    this.stderr = to(targets.stderr);
  }

  end(): void {
    this.stdout.end();
    this.stderr.end();
  }
}
