import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The run bundle's files the worker starts processes from (packages/cli/scripts/bundle-run.mjs). */
export interface RunBundle {
  /** `baton` itself (bin/baton.js bundled). */
  run: string;
  /** The CLI's `main`, which a spare runs its run with. */
  cli: string;
  spareEntry: string;
  reuseEntry: string;
  /** "baton" as a flow file gets it: a change of it is a change of Baton. */
  sdk: string;
}

let found: RunBundle | null | undefined;

/**
 * The CLI's run bundle: a run's process (`baton flow-run execute`, a spare, a reused executor)
 * loads Baton from a few files instead of some 260 (issue 14). Null when this installation has
 * none (a checkout before `npm run build`, the CLI not installed beside the worker): processes
 * then start from the packages themselves, as before.
 */
export function runBundle(): RunBundle | null {
  if (found !== undefined) return found;
  found = null;
  try {
    found = findRunBundle(join(dirname(fileURLToPath(import.meta.resolve("@baton/cli"))), "run-bundle"));
  } catch {
    // No CLI beside the worker: nothing to start from but the worker's own files.
  }
  return found;
}

/** The bundle in `dir` when all of it is there and it is not older than what it was built from. */
export function findRunBundle(dir: string): RunBundle | null {
  const bundle: RunBundle = {
    run: join(dir, "run.js"),
    cli: join(dir, "cli.js"),
    spareEntry: join(dir, "spare-entry.js"),
    reuseEntry: join(dir, "reuse-entry.js"),
    sdk: join(dir, "baton.js"),
  };
  return Object.values(bundle).every((file) => existsSync(file)) && isCurrent(dir) ? bundle : null;
}

/**
 * Not older than any file it was built from (its inputs.json): a checkout rebuilt with `tsc -b`
 * alone, or dependencies installed since, would otherwise run code that is no longer the source's.
 */
function isCurrent(dir: string): boolean {
  const inputsFile = join(dir, "inputs.json");
  const builtAt = statSync(inputsFile, { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined) return false;
  let inputs: string[];
  try {
    inputs = JSON.parse(readFileSync(inputsFile, "utf8")) as string[];
  } catch {
    return false;
  }
  // An input not found is one of another layout (an installed package): only a newer one is a change.
  return inputs.every((input) => (statSync(resolve(dir, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= builtAt);
}
