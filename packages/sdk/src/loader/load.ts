import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { MAX_STACK_FRAMES, setStackRoot } from "../errors/error-stack.js";
import { isFlow, type runFlow } from "../engine/run-flow.js";
import { parseEntrypoint } from "./entrypoint.js";
import { EntrypointFileNotFound, EntrypointLoadError, ExportNotAFlow, FlowExportNotFound } from "./errors.js";
import { compileCacheDir, withCompileCache } from "./compile-cache.js";
import { requireCompiled } from "./compiled-commonjs.js";
import { importCompiled } from "./compiled-esm.js";
import { importFile, isCommonJs, loadCompiler } from "./import-file.js";
import { installBatonResolution, installRequireResolution } from "./resolve-baton.js";

/** What `flow()` returns, as `runFlow` takes it. */
export type LoadedFlow = Parameters<typeof runFlow>[0];

export interface LoadEntrypointOptions {
  /** The folder a relative file path is resolved against; the process's current folder by default. */
  cwd?: string;
}

let preparing: Promise<void> | undefined;

/**
 * Loads what importing a flow file through tsx needs (tsx, Node's module hooks, "baton" for flow
 * files) with compiled files kept between runs (compile-cache.ts). A CommonJS flow file already
 * in Baton's own compile cache needs none of it (prepareCompiledLoader).
 */
export function prepareLoader(): Promise<void> {
  preparing ??= withCompileCache(async () => {
    await installBatonResolution();
    await loadCompiler();
  });
  return preparing;
}

/**
 * What loading a compiled CommonJS flow file needs ("baton" for its `require`), without tsx or
 * the module-hooks thread: a spare executor loads this before its run, the rest only if its
 * flow file needs tsx.
 */
export function prepareCompiledLoader(): Promise<void> {
  return installRequireResolution();
}

/**
 * Loads the flow file from Baton's compile cache when it can (no tsx, no module-hooks thread:
 * compiled-commonjs.ts, compiled-esm.ts), else through tsx.
 */
async function importFlowFile(path: string, tsconfig: string | undefined): Promise<Record<string, unknown>> {
  if (isCommonJs(path)) {
    await installRequireResolution();
    const compiled = await requireCompiled(path, tsconfig, compileCacheDir());
    if (compiled) return { default: compiled.exports };
  } else {
    const compiled = await importCompiled(path, tsconfig, compileCacheDir());
    if (compiled) return compiled;
  }
  await prepareLoader();
  return importFile(path, tsconfig);
}

/**
 * `loadEntrypoint("flows/etl.ts:etlFlow")` -> the exported flow. TypeScript is compiled at
 * import time by tsx, so a user runs a flow file without a build step.
 */
export async function loadEntrypoint(entrypoint: string, options: LoadEntrypointOptions = {}): Promise<LoadedFlow> {
  const { file, exportName } = parseEntrypoint(entrypoint);
  const cwd = resolve(options.cwd ?? process.cwd());
  const path = resolve(cwd, file);
  if (!isFile(path)) throw new EntrypointFileNotFound(entrypoint, path, cwd);

  // Stored stacks name the flow's files relative to its project: flows/etl.ts:12:5.
  setStackRoot(cwd);
  // Node keeps 10 frames, fewer than the engine's own under a task: keep enough to reach the
  // flow's code (stored stacks are cut at the same number).
  if (Error.stackTraceLimit < MAX_STACK_FRAMES) Error.stackTraceLimit = MAX_STACK_FRAMES;
  let module: Record<string, unknown>;
  try {
    // The project's tsconfig (paths, JSX...) is the one in the folder entrypoints are relative to,
    // which for a worker is its checkout, not the process's current folder.
    const tsconfig = join(cwd, "tsconfig.json");
    module = await importFlowFile(path, isFile(tsconfig) ? tsconfig : undefined);
  } catch (error) {
    throw new EntrypointLoadError(file, error);
  }

  const exports = exportsOf(module);
  const flowExports = Object.keys(exports).filter((name) => isFlow(exports[name]));
  if (!Object.hasOwn(exports, exportName)) throw new FlowExportNotFound(file, exportName, flowExports);
  const value = exports[exportName];
  if (!isFlow(value)) throw new ExportNotAFlow(file, exportName, describe(value), flowExports);
  return value as LoadedFlow;
}

/**
 * A CommonJS flow file (a `.ts` file outside a `"type": "module"` package) arrives as
 * `{ default: module.exports, ...what Node could detect }`: read both.
 */
function exportsOf(module: Record<string, unknown>): Record<string, unknown> {
  const fallback = module.default;
  const merged: Record<string, unknown> = {};
  if (fallback && typeof fallback === "object" && !isFlow(fallback)) Object.assign(merged, fallback);
  for (const [name, value] of Object.entries(module)) if (!(name === "default" && value === fallback && !isFlow(value))) merged[name] = value;
  return merged;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  if (type === "undefined") return "undefined";
  return type === "object" ? "an object" : `a ${type}`;
}
