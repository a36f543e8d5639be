import { colorsWanted, createColors, type Colors } from "./colors.js";

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Stream;
  stderr: Stream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Where a command writes: results on stdout (what a script reads), everything else on stderr. */
export class Output {
  readonly colors: Colors;
  readonly errColors: Colors;
  constructor(readonly io: CliIo) {
    this.colors = createColors(colorsWanted(io.env, Boolean(io.stdout.isTTY)));
    this.errColors = createColors(colorsWanted(io.env, Boolean(io.stderr.isTTY)));
  }

  line(text = ""): void {
    this.io.stdout.write(text + "\n");
  }

  /** One JSON document on stdout, for `--json`. */
  json(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value, null, 2) + "\n");
  }

  /** One JSON value per line, for streams (`logs --follow --json`). */
  jsonLine(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value) + "\n");
  }

  error(text: string): void {
    this.io.stderr.write(text + "\n");
  }

  note(text: string): void {
    this.io.stderr.write(this.errColors.dim(text) + "\n");
  }
}
