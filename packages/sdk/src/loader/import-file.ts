import { readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { pathToFileURL } from "node:url";

type TsxEsm = typeof import("tsx/esm/api");
type TsxCjs = typeof import("tsx/cjs/api");
let compiler: Promise<{ esm: TsxEsm; cjs: TsxCjs }> | undefined;

/** tsx, loaded on the first flow file only (`import "baton"` does not need it). */
export function loadCompiler(): Promise<{ esm: TsxEsm; cjs: TsxCjs }> {
  compiler ??= Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]).then(([esm, cjs]) => ({ esm, cjs }));
  return compiler;
}

/**
 * Imports a flow file, TypeScript compiled by tsx, in a namespace of its own (a fresh copy each
 * time) with the project's tsconfig. Answers the module's namespace: `{ default: module.exports }`
 * for a CommonJS file, as Node's `import()` would.
 *
 * A CommonJS file is required through tsx's CommonJS hooks rather than imported: imported, tsx
 * (on Node 20, where its hooks cannot reach `require`) hands Node the compiled code as a
 * `data:text/javascript,<the whole source>` URL, which then names the file in every stack frame
 * and defeats its source map. Required, the module is the file itself: stacks name
 * `flows/etl.ts` with its TypeScript lines, on every Node version.
 */
export async function importFile(path: string, tsconfig: string | undefined): Promise<Record<string, unknown>> {
  const { esm, cjs } = await loadCompiler();
  if (isCommonJs(path)) return { default: requireCommonJs(cjs, path, tsconfig) };
  return (await esm.tsImport(pathToFileURL(path).href, { parentURL: import.meta.url, ...(tsconfig ? { tsconfig } : {}) })) as Record<string, unknown>;
}

function requireCommonJs(cjs: TsxCjs, path: string, tsconfig: string | undefined): unknown {
  const scoped = withTsconfig(tsconfig, () => cjs.register({ namespace: nextNamespace() }));
  return scoped.require(path, import.meta.url);
}

const LOADS = Symbol.for("baton.loader.namespaces");
const counter = globalThis as unknown as Record<symbol, number | undefined>;

/**
 * A namespace per load, so each load is a fresh copy, but the same in every process for its
 * first, second... load: tsx's compile cache keys a CommonJS file by its path with the
 * namespace in it, so a random one made every run compile its flow file again (esbuild's start
 * and a compile, most of a warm run's import of its flow). Counted on globalThis: two copies of
 * this module in one process must not hand out the same namespace.
 */
function nextNamespace(): string {
  counter[LOADS] = (counter[LOADS] ?? 0) + 1;
  return `baton-${counter[LOADS]}`;
}

/** tsx's CommonJS hooks read their tsconfig from TSX_TSCONFIG_PATH when registered, and only then. */
function withTsconfig<T>(tsconfig: string | undefined, register: () => T): T {
  if (!tsconfig) return register();
  const previous = process.env.TSX_TSCONFIG_PATH;
  process.env.TSX_TSCONFIG_PATH = tsconfig;
  try {
    return register();
  } finally {
    if (previous === undefined) delete process.env.TSX_TSCONFIG_PATH;
    else process.env.TSX_TSCONFIG_PATH = previous;
  }
}

/** Node's rule: `.cts`/`.cjs` are CommonJS, `.mts`/`.mjs` ES modules, others follow the nearest package.json's `type`. */
export function isCommonJs(path: string): boolean {
  const ext = extname(path);
  if (ext === ".cts" || ext === ".cjs") return true;
  if (ext === ".mts" || ext === ".mjs") return false;
  return packageType(dirname(path)) !== "module";
}

function packageType(directory: string): string | undefined {
  for (let dir = directory; ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, "package.json"), "utf8");
    } catch {
      // No package.json here: look further up.
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        return typeof type === "string" ? type : undefined;
      } catch {
        // Node refuses a broken package.json with a message naming it: let the import say so.
        return "module";
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
