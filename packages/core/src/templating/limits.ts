import type { z } from "zod";

/**
 * The longest string a template may hold (job configurations, job variables, pull steps), in
 * characters. Placeholder parsing is linear, so this is not what keeps the server responsive;
 * it keeps one field from carrying a whole file, and a mistake (a pasted binary) gets a clear
 * answer naming the field instead of a slow one.
 */
export const MAX_TEMPLATE_STRING_LENGTH = 64 * 1024;

export interface OversizedString {
  path: (string | number)[];
  length: number;
}

/** Every string in a JSON document longer than the limit, with where it is. */
export function oversizedTemplateStrings(document: unknown, limit = MAX_TEMPLATE_STRING_LENGTH): OversizedString[] {
  const found: OversizedString[] = [];
  // A stack, not recursion: bodies are capped in depth at the server, other callers may not be.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: document, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.length > limit) found.push({ path, length: value.length });
    } else if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return found;
}

/** A zod check for a templated field: each string over the limit is an issue at its own path. */
export function checkTemplateStrings(value: unknown, ctx: z.RefinementCtx): void {
  for (const { path, length } of oversizedTemplateStrings(value)) {
    ctx.addIssue({
      code: "custom",
      path,
      message: `is ${length} characters long; a template string may have at most ${MAX_TEMPLATE_STRING_LENGTH}: keep large content (scripts, files) in the repository or an image and reference it`,
    });
  }
}
