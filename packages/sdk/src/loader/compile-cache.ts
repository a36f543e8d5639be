import { mkdirSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { defaultHome } from "../settings/index.js";

/** Set by a worker for its runs: one cache for all of them, where the run's own HOME would be erased. */
export const COMPILE_CACHE_ENV = "BATON_COMPILE_CACHE";

/** Where compiled flow files are kept: BATON_COMPILE_CACHE, else `$BATON_HOME/compile-cache`. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[COMPILE_CACHE_ENV] || join(defaultHome(env), "compile-cache");
}

/**
 * Runs `load` (which loads the TypeScript compiler and starts Node's module-hooks thread) with
 * the compile cache as the temporary folder: tsx keeps compiled files, keyed by a hash of the
 * source and its options, in `<tmpdir>/tsx-<uid>`, and reads where that is once, when loaded.
 * A run's own TMPDIR is erased after it, so without this every run compiled its flow again.
 * No user code runs during `load`: the run's TMPDIR is back before the flow file is imported.
 */
export async function withCompileCache<T>(load: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const dir = compileCacheDir(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The folder tsx writes to: made first so that it is this user's only, like its parent.
    mkdirSync(join(dir, `tsx-${process.geteuid?.() ?? userInfo().username}`), { recursive: true, mode: 0o700 });
  } catch {
    // A home that cannot be written: compile in the run's own temporary folder, as before.
    return load();
  }
  const previous = env.TMPDIR;
  env.TMPDIR = dir;
  try {
    return await load();
  } finally {
    if (previous === undefined) delete env.TMPDIR;
    else env.TMPDIR = previous;
  }
}
