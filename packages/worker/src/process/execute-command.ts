import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cliBin: string | null | undefined;

/** This installation's `baton` script, so runs start without `baton` on PATH (null when the CLI is not installed). */
function batonBin(): string | null {
  if (cliBin !== undefined) return cliBin;
  cliBin = null;
  try {
    const main = fileURLToPath(import.meta.resolve("@baton/cli"));
    const bin = join(dirname(dirname(main)), "bin", "baton.js");
    if (existsSync(bin)) cliBin = bin;
  } catch {
    // Not installed beside the worker: `baton` is looked up on PATH.
  }
  return cliBin;
}

/** `a "b c" 'd'` -> ["a", "b c", "d"]: a command line as a shell would split it, without running a shell. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else if (c === "\\" && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new TypeError(`command has an unclosed ${quote} quote: ${command}`);
  if (inWord) words.push(current);
  return words;
}

/** The argv of a run's command; a leading `baton` is this installation's CLI run by this Node. */
export function resolveCommand(command: string): string[] {
  const words = splitCommand(command);
  if (words[0] === "baton") {
    const bin = batonBin();
    if (bin) return [process.execPath, bin, ...words.slice(1)];
  }
  return words;
}
