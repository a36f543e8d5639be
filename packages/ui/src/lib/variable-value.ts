/**
 * A variable's value as typed in the form. Variables hold JSON (as in Prefect): as "text" the
 * field is one string, as "json" it must parse, and the problem says where it does not.
 */
export type ValueKind = "text" | "json";

export function parseVariableValue(kind: ValueKind, text: string): { value: unknown } | { problem: string } {
  if (kind === "text") return { value: text };
  if (text.trim() === "") return { problem: "Type a JSON value: 3, true, [1, 2], {\"key\": \"value\"} or \"text\" in quotes" };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** How the form shows a stored value to edit it: a string as text, anything else as JSON. */
export function formOf(value: unknown): { kind: ValueKind; text: string } {
  return typeof value === "string" ? { kind: "text", text: value } : { kind: "json", text: JSON.stringify(value, null, 2) };
}

/** A value in one line for the table. */
export function showValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
