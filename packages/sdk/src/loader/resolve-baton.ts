import { readFileSync } from "node:fs";
import Module, { register } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { bundledBatonEntries } from "./bundle-entries.js";
import { isSharedFallback } from "./specifiers.js";

type ResolveFilename = (this: unknown, request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
type Load = (this: unknown, request: string, parent: unknown, isMain: boolean) => unknown;
interface CjsModule {
  _resolveFilename: ResolveFilename;
  _load: Load;
  _nodeModulePaths(from: string): string[];
}

let installing: Promise<void> | undefined;
let installingRequire: Promise<void> | undefined;

/**
 * Make "baton" (and zod, as a fallback) resolvable from flow files anywhere, in both module
 * systems. ESM imports go through a `register` hook. A `.ts` file in a folder without
 * `"type": "module"` is CommonJS, which Node 20's hooks do not see, so `require` is wrapped too.
 */
export function installBatonResolution(): Promise<void> {
  installing ??= installRequireResolution().then(() => {
    // The hook runs on the loader thread: it is told the bundle's entries, which it cannot find itself.
    const entries = bundledBatonEntries();
    register(new URL("./resolve-hook.js", import.meta.url), { data: { batonEntries: entries ? Object.fromEntries(entries) : undefined } });
  });
  return installing;
}

/**
 * The CommonJS half alone: what a CommonJS flow file loaded from the compile cache needs
 * (compiled-commonjs.ts), without the module-hooks thread `register` starts.
 */
export function installRequireResolution(): Promise<void> {
  installingRequire ??= installRequire();
  return installingRequire;
}

async function installRequire(): Promise<void> {
  const namespaces = await loadBatonNamespaces();
  const cjs = Module as unknown as CjsModule;

  // require("baton") must hand back the ESM instance already running, not a second copy:
  // tsx compiles required .js files to CommonJS, which would load every Baton module again.
  const originalLoad = cjs._load;
  cjs._load = function (request, parent, isMain) {
    const namespace = namespaces.get(request);
    if (namespace) return namespace;
    return originalLoad.call(this, request, parent, isMain);
  };

  const originalResolve = cjs._resolveFilename;
  const here = fileURLToPath(import.meta.url);
  const fromBaton = { id: here, filename: here, paths: cjs._nodeModulePaths(dirname(here)) };
  cjs._resolveFilename = function (request, parent, isMain, options) {
    try {
      return originalResolve.call(this, request, parent, isMain, options);
    } catch (error) {
      if (isSharedFallback(request) && (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
        return originalResolve.call(this, request, fromBaton, false, options);
      }
      throw error;
    }
  };
}

/** Every public entry of this package ("baton", "baton/client"...), imported through its own name. */
async function loadBatonNamespaces(): Promise<Map<string, unknown>> {
  const bundled = bundledBatonEntries();
  if (bundled) return new Map(await Promise.all([...bundled].map(async ([specifier, url]) => [specifier, await import(url)] as const)));
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; exports: Record<string, unknown> };
  const namespaces = new Map<string, unknown>();
  for (const subpath of Object.keys(manifest.exports)) {
    if (subpath.includes("*") || subpath.endsWith(".json")) continue;
    const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    // A variable, so the compiler does not try to resolve this package's own build output.
    namespaces.set(specifier, await import(specifier));
  }
  return namespaces;
}
