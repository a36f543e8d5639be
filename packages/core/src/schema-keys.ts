import type { z } from "zod";

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType };
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/**
 * The keys an object schema knows at `path` inside `schema` (through arrays, optionals,
 * defaults, pipes and unions), so an unknown key can be answered with the one it most likely meant.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, rest: readonly PropertyKey[], depth: number): void => {
    const def = defOf(node);
    if (!def || depth > 64) return;
    switch (def.type) {
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "catch":
        return visit(def.innerType, rest, depth + 1);
      case "pipe":
        return visit(def.in, rest, depth + 1);
      case "union":
        for (const option of def.options ?? []) visit(option, rest, depth + 1);
        return;
      case "array":
        return rest.length > 0 && typeof rest[0] === "number" ? visit(def.element, rest.slice(1), depth + 1) : undefined;
      case "record":
        return rest.length > 0 ? visit(def.valueType, rest.slice(1), depth + 1) : undefined;
      case "object":
        if (rest.length === 0) for (const key of Object.keys(def.shape ?? {})) found.add(key);
        else if (def.shape && typeof rest[0] === "string" && Object.hasOwn(def.shape, rest[0])) visit(def.shape[rest[0]], rest.slice(1), depth + 1);
        return;
    }
  };
  visit(schema, path, 0);
  return [...found];
}
