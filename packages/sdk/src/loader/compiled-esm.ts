import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, utimesSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { compileFile, NotCompilable, tsconfigText, type ImportWriter } from "./compile-file.js";
import { pruneOld, readRecord, recordKey, writeRecord, writeWhole, type CompiledRecord } from "./compiled-store.js";
import { bundledBatonEntries } from "./bundle-entries.js";
import { isCommonJs } from "./import-file.js";
import { isBatonSpecifier, isSharedFallback } from "./specifiers.js";

/** Graphs imported by this process: importing one again would hand back the same modules, not a fresh copy. */
const imported = new Set<string>();

/**
 * An ES module flow file (and the relative files it imports) imported from Baton's compile cache
 * without tsx and without Node's module-hooks thread: each file compiled once per content into
 * an `.mjs` file of the cache, its `import.meta.url` (filename, dirname) the source file's, its
 * relative imports the cache's copies, "baton" this very Baton (one instance per process), and a
 * source map naming the source for stack frames. Answers undefined when that cannot be done for
 * sure, and the caller uses tsx: a package of the project's own imported (its resolution is the
 * project's node_modules'), a CommonJS file in the graph, `import()` or `require()` calls, other
 * `import.meta` uses, tsconfig paths, the same graph imported twice in one process.
 */
export async function importCompiled(path: string, tsconfig: string | undefined, cacheDir: string): Promise<Record<string, unknown> | undefined> {
  let entry: string;
  try {
    const graph = await compiledGraph(path, tsconfig, tsconfigText(tsconfig), cacheDir);
    const graphKey = createHash("sha256").update(JSON.stringify([...graph].map(([file, record]) => [file, record.key]).sort())).digest("hex");
    if (imported.has(graphKey)) return undefined;
    const folder = join(cacheDir, "esm", "graphs", graphKey);
    entry = join(folder, `${fileId(realPath(path))}.mjs`);
    if (existsSync(entry)) {
      // In use: kept by pruneOld for another week.
      try {
        const now = new Date();
        utimesSync(folder, now, now);
      } catch {
        // A cache this user cannot write: read only, as it is.
      }
    } else {
      // The entry last: when it is there, so is every file it imports.
      for (const [file, record] of graph) if (file !== realPath(path)) writeWhole(join(folder, `${fileId(file)}.mjs`), record.code);
      writeWhole(entry, graph.get(realPath(path))!.code);
    }
    imported.add(graphKey);
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
  // Stack frames through the cached copies name the source files and lines (tsx turns this on too).
  process.setSourceMapsEnabled(true);
  return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
}

/** Every file of the graph (by real path) -> its record and the record's key, compiling what the cache does not have. */
async function compiledGraph(entry: string, tsconfig: string | undefined, tsconfigSource: string | undefined, cacheDir: string): Promise<Map<string, CompiledRecord & { key: string }>> {
  const batonUrl = resolveFromBaton("baton");
  const graph = new Map<string, CompiledRecord & { key: string }>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = realPath(pending.pop()!);
    if (graph.has(file)) continue;
    if (isCommonJs(file)) throw new NotCompilable(`${file} is CommonJS`);
    const source = readSource(file);
    const key = recordKey("esm", source, tsconfigSource, `${file}\0${batonUrl}`);
    let record = readRecord(cacheDir, "esm", key);
    if (record?.fallbacks?.some((name) => projectHas(dirname(file), name))) record = undefined;
    if (!record) {
      const fallbacks: string[] = [];
      record = { ...(await compileFile(file, source, tsconfig, "esm", importsOf(file, fallbacks))), fallbacks };
      pruneOld(join(cacheDir, "esm"));
      pruneOld(join(cacheDir, "esm", "graphs"));
      try {
        writeRecord(cacheDir, "esm", key, record);
      } catch {
        // A cache that cannot be written: tsx, as before.
        throw new NotCompilable(`${cacheDir} cannot be written`);
      }
    }
    graph.set(file, { ...record, key });
    for (const dep of record.deps) pending.push(resolve(dirname(file), dep));
  }
  return graph;
}

/** How a file's imports are written in its cached copy (beside its relative imports' copies). */
function importsOf(file: string, fallbacks: string[]): ImportWriter {
  return {
    relative: (_, absolutePath) => `./${fileId(realPath(absolutePath))}.mjs`,
    bare: (specifier) => {
      if (isBuiltin(specifier)) return specifier;
      if (isBatonSpecifier(specifier)) return resolveFromBaton(specifier);
      const name = packageName(specifier);
      if (isSharedFallback(specifier) && !projectHas(dirname(file), name)) {
        if (!fallbacks.includes(name)) fallbacks.push(name);
        return resolveFromBaton(specifier);
      }
      throw new NotCompilable(`${file} imports "${specifier}", a package of the project`);
    },
  };
}

/** The URL Baton's own `import` of the specifier reaches: "baton" is this package itself, or the run bundle's file of it. */
function resolveFromBaton(specifier: string): string {
  const bundled = bundledBatonEntries()?.get(specifier);
  if (bundled) return bundled;
  try {
    return import.meta.resolve(specifier);
  } catch {
    throw new NotCompilable(`"${specifier}" does not resolve from Baton`);
  }
}

/** Whether Node would find the package in a node_modules folder from `directory` up, as it resolves an import. */
function projectHas(directory: string, name: string): boolean {
  for (let dir = directory; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", name))) return true;
    if (dirname(dir) === dir) return false;
  }
}

function packageName(specifier: string): string {
  return specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
}

function fileId(file: string): string {
  return createHash("sha256").update(file).digest("hex").slice(0, 24);
}

function readSource(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new NotCompilable(`${file} cannot be read`);
  }
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    throw new NotCompilable(`${file} does not exist`);
  }
}
