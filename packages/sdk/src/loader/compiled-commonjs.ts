import { readFileSync, realpathSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, extname, join, resolve } from "node:path";
import { compileFile, NotCompilable, tsconfigText, type ImportWriter } from "./compile-file.js";
import { pruneOld, readRecord, recordKey, writeRecord } from "./compiled-store.js";
import { isCommonJs } from "./import-file.js";

type Loader = (module: { _compile(code: string, filename: string): void }, filename: string) => void;
interface CjsModule {
  _extensions: Record<string, Loader>;
  _cache: Record<string, unknown>;
}

/**
 * A CommonJS flow file (and the relative files it imports) loaded from Baton's compile cache
 * without tsx and without Node's module-hooks thread: each file's compiled code is run by Node's
 * own `require` as the source file itself (`__filename`, `require` of packages from its folder,
 * stack frames naming it, with its TypeScript lines through the code's source map). A file seen
 * for the first time is compiled (esbuild) and kept. Answers undefined when the graph cannot be
 * loaded that way for sure (an ES module in it, `require()` calls, tsconfig paths...): the
 * caller then uses tsx.
 */
export async function requireCompiled(path: string, tsconfig: string | undefined, cacheDir: string): Promise<{ exports: unknown } | undefined> {
  let graph: Map<string, string>;
  try {
    graph = await compiledGraph(path, tsconfig, tsconfigText(tsconfig), cacheDir);
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
  return { exports: requireGraph(path, graph) };
}

/** Relative imports name the file itself, found by Node's `require` run as the importer; packages as written, resolved from its folder. */
const AS_WRITTEN: ImportWriter = { relative: (dep) => dep, bare: (specifier) => specifier };

/** Every file of the graph -> its compiled code, from the cache, compiling what is not there. */
async function compiledGraph(entry: string, tsconfig: string | undefined, tsconfigSource: string | undefined, cacheDir: string): Promise<Map<string, string>> {
  const graph = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    // Node's require names a module by its real path: the loader below is asked for that one.
    const file = realPath(pending.pop()!);
    if (graph.has(file)) continue;
    if (!isCommonJs(file)) throw new NotCompilable(`${file} is an ES module`);
    let source: string;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      throw new NotCompilable(`${file} cannot be read`);
    }
    const key = recordKey("commonjs", source, tsconfigSource);
    let record = readRecord(cacheDir, "commonjs", key);
    if (!record) {
      record = await compileFile(file, source, tsconfig, "cjs", AS_WRITTEN);
      pruneOld(join(cacheDir, "commonjs"));
      try {
        writeRecord(cacheDir, "commonjs", key, record);
      } catch {
        // A cache that cannot be written: this run still uses what it compiled.
      }
    }
    graph.set(file, record.code);
    for (const dep of record.deps) pending.push(resolve(dirname(file), dep));
  }
  return graph;
}

/**
 * Modules loaded here, held for the life of the process: Node keeps a CommonJS module's source
 * map only as long as the module object lives, and without `require.cache` holding it a
 * collection dropped the map, so stack frames lost their TypeScript lines.
 */
const kept = new Set<object>();

/**
 * Requires the entry with Node's loaders for the graph's extensions answering with the compiled
 * code, then puts them back: the whole graph loads synchronously (its imports are all static),
 * so nothing else is required in between. The graph's files leave `require.cache` after, so the
 * next load is a fresh copy, as with tsx.
 */
function requireGraph(entry: string, graph: Map<string, string>): unknown {
  const cjs = Module as unknown as CjsModule;
  const extensions = [...new Set([...graph.keys()].map((file) => extname(file)))];
  const previous = new Map(extensions.map((ext) => [ext, Object.hasOwn(cjs._extensions, ext) ? cjs._extensions[ext] : undefined]));
  for (const ext of extensions) {
    const fallback = previous.get(ext) ?? cjs._extensions[".js"]!;
    cjs._extensions[ext] = function (module, filename) {
      const code = graph.get(filename);
      if (code === undefined) return fallback.call(this, module, filename);
      kept.add(module);
      module._compile(code, filename);
    };
  }
  // Stack frames through the compiled code name the TypeScript lines (tsx turns this on too).
  process.setSourceMapsEnabled(true);
  try {
    return createRequire(entry)(entry);
  } finally {
    for (const [ext, loader] of previous) {
      if (loader) cjs._extensions[ext] = loader;
      else delete cjs._extensions[ext];
    }
    for (const file of graph.keys()) delete cjs._cache[file];
  }
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    throw new NotCompilable(`${file} does not exist`);
  }
}
