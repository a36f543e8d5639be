/**
 * Set only in the run bundle (packages/cli/scripts/bundle-run.mjs, esbuild `define`): "baton"
 * and its subpaths -> the bundle's file of each, beside the running code. A flow file's
 * "baton" must be those files, the very SDK instance running it, never the package of that
 * name in node_modules (a second instance: its own run context, tasks unrecorded).
 */
declare const __BATON_BUNDLE_ENTRIES__: Record<string, string> | undefined;

/** The URLs of this process's "baton" entries when it runs from the bundle; undefined when it runs the packages themselves. */
export function bundledBatonEntries(): Map<string, string> | undefined {
  if (typeof __BATON_BUNDLE_ENTRIES__ === "undefined") return undefined;
  return new Map(Object.entries(__BATON_BUNDLE_ENTRIES__).map(([specifier, file]) => [specifier, new URL(file, import.meta.url).href]));
}
