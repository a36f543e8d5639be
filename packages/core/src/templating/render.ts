import { parsePlaceholder, wholePlaceholder, type Placeholder } from "./placeholders.js";
import { replacePlaceholders } from "./scan.js";

/** Marks a value that is absent: the key holding a whole-string placeholder for it is removed. */
export const MISSING: unique symbol = Symbol("baton.template.missing");
/** Returns the value of a placeholder, MISSING when it has none, or undefined to leave the placeholder as written. */
export type Resolver = (placeholder: Placeholder) => unknown | typeof MISSING | undefined;

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Render a JSON document. A placeholder that is the whole string keeps the value's type
 * (object, list, number); inside a longer string it becomes text; a whole-string placeholder
 * with no value removes its key (or its list item). Placeholders the resolver leaves alone
 * (undefined) stay as written, so secrets can be resolved later, at run time.
 */
export function renderTemplate(document: unknown, resolve: Resolver): unknown {
  const out = renderValue(document, resolve);
  return out === MISSING ? null : out;
}

function renderValue(value: unknown, resolve: Resolver): unknown {
  if (typeof value === "string") return renderString(value, resolve);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, resolve)).filter((v) => v !== MISSING);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const rendered = renderValue(v, resolve);
      if (rendered !== MISSING) out[k] = rendered;
    }
    return out;
  }
  return value;
}

function renderString(text: string, resolve: Resolver): unknown {
  const whole = wholePlaceholder(text);
  if (whole) {
    const value = resolve(whole);
    if (value === undefined) return text;
    return value;
  }
  return replacePlaceholders(text, (inner, match) => {
    const value = resolve(parsePlaceholder(inner));
    if (value === undefined) return match;
    return value === MISSING ? "" : toText(value);
  });
}
