import { describe, expect, test } from "vitest";
import { z } from "zod";
import { MISSING, renderTemplate } from "./render.js";
import { findPlaceholders, placeholdersIn, wholePlaceholder } from "./placeholders.js";
import { scanPlaceholders } from "./scan.js";
import { MAX_TEMPLATE_STRING_LENGTH, checkTemplateStrings } from "./limits.js";

/** What the old pattern matched, as a reference on small inputs only (it backtracks on large ones). */
const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;

describe("scanPlaceholders", () => {
  test("finds what the old pattern found, on the tricky small cases", () => {
    const cases = ["{{ a }}", "x{{a}}y{{ b.c }}z", "{{{ a }}}", "{{ a }", "{{ a } }}", "{ { a }}", "{{}}", "{{ }}", "{{a}}}}", "{{{{a}}", "{{ a {{ b }}", "}}{{ a", "{{\n\ta\n}}", "{{ a }}{{ b }}"];
    for (const text of cases) {
      const expected = [...text.matchAll(REFERENCE)].map((m) => ({ start: m.index, end: m.index + m[0].length, inner: m[1]!.trim() }));
      expect(scanPlaceholders(text), text).toEqual(expected);
    }
  });

  test("a pathological input (an opening and many spaces, never closed) is read to the end, with no placeholder", () => {
    // The old pattern took about 19 s for 4,000 spaces and grows with the cube of the length.
    const spaces = " ".repeat(200_000);
    expect(scanPlaceholders(`{{${spaces}}`)).toEqual([]);
    expect(placeholdersIn(`{{${spaces}} {{ image }}`)).toEqual([{ kind: "variable", name: "image", path: [], raw: "image" }]);
    expect(renderTemplate({ a: `{{${spaces}}` }, () => MISSING)).toEqual({ a: `{{${spaces}}` });
  });

  test("variant: many unclosed openings, spaces inside a placeholder, and braces in runs", () => {
    const openings = "{{ ".repeat(50_000);
    expect(scanPlaceholders(openings)).toEqual([]);
    expect(wholePlaceholder(`{{${" ".repeat(100_000)}image${" ".repeat(100_000)}}}`)).toEqual({ kind: "variable", name: "image", path: [], raw: "image" });
    const braces = "{".repeat(100_000) + "{ tag }" + "}".repeat(100_000);
    expect(findPlaceholders({ s: braces })).toEqual([{ path: "s", placeholder: { kind: "variable", name: "tag", path: [], raw: "tag" } }]);
  });
});

describe("template string limit", () => {
  const schema = z.record(z.string(), z.unknown()).superRefine(checkTemplateStrings);
  test("a string over the limit is an issue at its own path", () => {
    const result = schema.safeParse({ spec: { containers: [{ image: "x".repeat(MAX_TEMPLATE_STRING_LENGTH + 1) }] }, ok: "y" });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toHaveLength(1);
    expect(result.error!.issues[0]!.path).toEqual(["spec", "containers", 0, "image"]);
    expect(result.error!.issues[0]!.message).toMatch(/at most 65536/);
  });
  test("strings at the limit pass", () => {
    expect(schema.safeParse({ a: "x".repeat(MAX_TEMPLATE_STRING_LENGTH) }).success).toBe(true);
  });
});
