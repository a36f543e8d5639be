/**
 * Module resolution hook, registered with node:module `register` (it runs on Node's loader
 * thread). A flow file imports "baton"; that import must reach the Baton that is running it,
 * even when the flow's folder has no node_modules, and must never load a second copy (a
 * second copy would have its own run context, so tasks would run unrecorded).
 */
import type { InitializeHook, ResolveHook } from "node:module";
import { isBatonSpecifier, isSharedFallback } from "./specifiers.js";

/** "baton" and its subpaths -> the run bundle's files, when the process runs from the bundle (bundle-entries.ts). */
let bundled: Record<string, string> | undefined;

export const initialize: InitializeHook<{ batonEntries?: Record<string, string> } | undefined> = (data) => {
  bundled = data?.batonEntries;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  // Resolving from this file makes "baton" a self-reference of this package.
  const fromBaton = { ...context, parentURL: import.meta.url };
  if (isBatonSpecifier(specifier)) {
    const url = bundled?.[specifier];
    return url ? { url, format: "module", shortCircuit: true } : nextResolve(specifier, fromBaton);
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (isSharedFallback(specifier) && (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
      return nextResolve(specifier, fromBaton);
    }
    throw error;
  }
};
