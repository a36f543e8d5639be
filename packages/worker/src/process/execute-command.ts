import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { splitCommand } from "../command/split-command.js";

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

/** The argv of a run's command; a leading `baton` is this installation's CLI run by this Node. */
export function resolveCommand(command: string): string[] {
  const words = splitCommand(command);
  if (words[0] === "baton") {
    const bin = batonBin();
    if (bin) return [process.execPath, bin, ...words.slice(1)];
  }
  return words;
}
