/** The last lines a process wrote, kept for the message of a run that crashed. */
export class OutputTail {
  private lines: string[] = [];
  private partial = "";
  constructor(private readonly max = 20) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }

  text(): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-this.max).join("\n");
  }
}
