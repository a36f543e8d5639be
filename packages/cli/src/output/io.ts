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

/** What `-o` asks for: the human view, or one document a script reads. */
export type OutputFormat = "table" | "json" | "yaml";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "yaml"];

/** Where a command writes: results on stdout (what a script reads), everything else on stderr. */
export class Output {
  readonly colors: Colors;
  readonly errColors: Colors;
  /** Set from `-o`/`--json` before the command's action runs (see output/option.ts). */
  format: OutputFormat = "table";
  private toYaml: ((value: unknown) => string) | undefined;

  constructor(readonly io: CliIo) {
    this.colors = createColors(colorsWanted(io.env, Boolean(io.stdout.isTTY)));
    this.errColors = createColors(colorsWanted(io.env, Boolean(io.stderr.isTTY)));
  }

  /** YAML's serializer is loaded only for `-o yaml`, so other commands do not pay for it. */
  setFormat(format: OutputFormat, toYaml?: (value: unknown) => string): void {
    this.format = format;
    this.toYaml = toYaml;
  }

  /** True under `-o json`/`-o yaml`: stdout holds the document and nothing else. */
  get structured(): boolean {
    return this.format !== "table";
  }

  /**
   * A line of the human view. Under `-o json|yaml` it goes to stderr, so stdout stays one document
   * a script can parse even when a command says more than its result.
   */
  line(text = ""): void {
    if (this.structured) this.io.stderr.write(text + "\n");
    else this.io.stdout.write(text + "\n");
  }

  /** One document on stdout: JSON, or YAML under `-o yaml`. */
  json(value: unknown): void {
    this.io.stdout.write(this.format === "yaml" && this.toYaml ? this.toYaml(value) : JSON.stringify(value, null, 2) + "\n");
  }

  /**
   * A command's result: the object under `-o json|yaml`, else its human view. Mutations print
   * what they changed (the pool as it is now, what was deleted), as Prefect's `-o json` does.
   */
  result(value: unknown, human: () => void): void {
    if (this.structured) this.json(value);
    else human();
  }

  /** One value per line, for streams (`logs --follow --json`); YAML documents under `-o yaml`. */
  jsonLine(value: unknown): void {
    if (this.format === "yaml" && this.toYaml) this.io.stdout.write(`---\n${this.toYaml(value)}`);
    else this.io.stdout.write(JSON.stringify(value) + "\n");
  }

  error(text: string): void {
    this.io.stderr.write(text + "\n");
  }

  note(text: string): void {
    this.io.stderr.write(this.errColors.dim(text) + "\n");
  }
}
