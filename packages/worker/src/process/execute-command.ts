import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { splitCommand } from "../command/split-command.js";
import { runBundle } from "./run-bundle.js";

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

/**
 * The argv of a run's command; a leading `baton` is this installation's CLI run by this Node.
 * `baton flow-run execute` starts from the run bundle when it is built (run-bundle.ts): the other
 * commands load what a run never does (the server...), which the bundle leaves to the packages.
 */
export function resolveCommand(command: string): string[] {
  const words = splitCommand(command);
  if (words[0] === "baton") {
    const bundled = words[1] === "flow-run" && words[2] === "execute" ? runBundle()?.run : undefined;
    const bin = bundled ?? batonBin();
    if (bin) return [process.execPath, bin, ...words.slice(1)];
  }
  return words;
}
