import { formatDuration } from "./format.js";
import type { Output } from "./io.js";

/**
 * What long work is doing, on one line of a terminal that rewrites itself: the step, a count and
 * the time so far. Only for a person watching: without a terminal on stderr, or under `-o json|yaml`,
 * it writes nothing, so logs and scripts see the same output as before.
 */
export class Progress {
  private readonly started = Date.now();
  private showing = false;

  constructor(
    private readonly out: Output,
    readonly enabled: boolean = Boolean(out.io.stderr.isTTY) && !out.structured,
  ) {}

  /** `[2/5] Deploying etl/prod (1.2s)`, replacing the line before. */
  step(text: string, count?: { done: number; total: number }): void {
    if (!this.enabled) return;
    const counted = count ? `[${count.done}/${count.total}] ` : "";
    this.out.io.stderr.write(`\r\u001b[K${this.out.errColors.dim(`${counted}${text} (${formatDuration(Date.now() - this.started)})`)}`);
    this.showing = true;
  }

  /** Clears the progress line, so a result line is printed whole. */
  clear(): void {
    if (!this.showing) return;
    this.out.io.stderr.write("\r\u001b[K");
    this.showing = false;
  }

  /** The last word, with the time it all took: `Deployed 3 deployment(s) in 2.4s`. */
  finish(text: string): void {
    if (!this.enabled) return;
    this.clear();
    this.out.note(`${text} in ${formatDuration(Date.now() - this.started)}`);
  }
}
