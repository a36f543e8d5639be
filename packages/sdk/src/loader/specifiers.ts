/** "baton", "baton/client"...: always this running package. */
export function isBatonSpecifier(specifier: string): boolean {
  return specifier === "baton" || specifier.startsWith("baton/");
}

/**
 * Packages a flow file needs to declare a flow (parameter schemas are zod) that Baton already
 * depends on: used from Baton's own dependencies only when the flow's folder does not have them.
 */
const SHARED_FALLBACKS = new Set(["zod"]);

export function isSharedFallback(specifier: string): boolean {
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  return SHARED_FALLBACKS.has(name);
}
