/**
 * Strings made to make a placeholder parser backtrack: openings never closed, long runs of
 * spaces between braces, braces in runs, near-placeholders. Each is `size` characters or so;
 * under the template string limit (64 KiB) they are all accepted, and must be parsed quickly.
 */
export function adversarialTemplateStrings(size: number): Record<string, string> {
  const n = Math.max(4, size);
  return {
    unclosedSpaces: `{{${" ".repeat(n - 3)}}`,
    unclosedTabsNewlines: `{{${"\t\n ".repeat(Math.floor((n - 3) / 3))}}`,
    manyOpenings: "{{ ".repeat(Math.floor(n / 3)),
    spacedName: `{{${" ".repeat(Math.floor(n / 2) - 4)}a${" ".repeat(Math.floor(n / 2) - 4)}}`,
    openRuns: "{".repeat(Math.floor(n / 2)) + " ".repeat(Math.floor(n / 2)),
    closeRuns: "}".repeat(Math.floor(n / 2)) + "{{ " + " ".repeat(Math.floor(n / 2)),
    nearSecret: `{{ baton.secrets.${"a".repeat(n - 30)} }`,
    dollarRun: `{{ $${"A ".repeat(Math.floor((n - 6) / 2))}}`,
    alternating: "{{ } ".repeat(Math.floor(n / 5)),
  };
}
