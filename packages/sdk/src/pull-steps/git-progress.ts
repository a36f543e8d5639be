/** Where a clone or fetch is: git's own phase ("Receiving objects"), its count and percent when git knows them. */
export interface GitProgress {
  phase: string;
  done: number;
  total?: number;
  percent?: number;
}

// `remote: Counting objects:  45% (9/20)`, `Receiving objects: 100% (20/20), 1.2 MiB | 3 MiB/s, done.`,
// `remote: Enumerating objects: 52, done.` Only letters and spaces are taken as the phase: the
// `remote:` lines are the server's text, and nothing of it beyond a known shape reaches a terminal.
const COUNTED = /^(?:remote: )?([A-Z][A-Za-z ]{2,40}):\s+(\d{1,3})% \((\d+)\/(\d+)\)/;
const UNCOUNTED = /^(?:remote: )?([A-Z][A-Za-z ]{2,40}):\s+(\d+)(?:, done\.)?\s*$/;

/** One line of git's stderr as progress, or undefined when it is anything else (an error, a warning). */
export function parseGitProgress(line: string): GitProgress | undefined {
  const text = line.trim();
  const counted = COUNTED.exec(text);
  if (counted) return { phase: counted[1]!, percent: Number(counted[2]), done: Number(counted[3]), total: Number(counted[4]) };
  const uncounted = UNCOUNTED.exec(text);
  if (uncounted) return { phase: uncounted[1]!, done: Number(uncounted[2]) };
  return undefined;
}

/**
 * Reads git's stderr as it comes (`--progress` rewrites a line with `\r`): every complete line is
 * reported as progress when it is some, and what is not progress is kept, so an error message
 * quotes git's words without hundreds of progress updates before them.
 */
export class GitProgressReader {
  private pending = "";
  private kept = "";

  constructor(private readonly onProgress: (progress: GitProgress) => void) {}

  write(chunk: string): void {
    const parts = (this.pending + chunk).split(/[\r\n]/);
    this.pending = parts.pop() ?? "";
    for (const part of parts) this.take(part, true);
  }

  /** What git printed that was not progress (the text an error is classified by). */
  rest(): string {
    if (this.pending) this.take(this.pending, false);
    this.pending = "";
    return this.kept;
  }

  private take(line: string, report: boolean): void {
    const progress = parseGitProgress(line);
    if (progress) {
      if (report) this.onProgress(progress);
    } else if (line.trim()) this.kept += `${line}\n`;
  }
}
