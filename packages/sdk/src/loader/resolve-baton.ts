import Module, { createRequire, register } from "node:module";
import { isBatonSpecifier, isSharedFallback } from "./specifiers.js";

type ResolveFilename = (this: unknown, request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

let installed = false;

/**
 * Make "baton" (and zod, as a fallback) resolvable from flow files anywhere, for both module
 * systems: a `.ts` file in a folder without `"type": "module"` is CommonJS, and Node 20's
 * `register` hooks do not see `require`, so CommonJS resolution is wrapped too.
 */
export function installBatonResolution(): void {
  if (installed) return;
  installed = true;
  register(new URL("./resolve-hook.js", import.meta.url));

  const requireFromBaton = createRequire(import.meta.url);
  const cjs = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (request, parent, isMain, options) {
    if (isBatonSpecifier(request)) return requireFromBaton.resolve(request);
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (error) {
      if (isSharedFallback(request) && (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return requireFromBaton.resolve(request);
      throw error;
    }
  };
}
