/** The last lines a process wrote, kept for the message of a run that crashed. */
export class OutputTail {
  private lines: string[] = [];
  constructor(private readonly max = 20) {}

  /** One whole line (see LineDecoder), without its "\n". */
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  text(): string {
    return this.lines.join("\n");
  }
}
