/**
 * A concurrency limit as typed: empty means no limit (null), otherwise a whole number from 0
 * (0 starts no run, as in Prefect). The message says what to type instead.
 */
export function parseLimit(text: string): { value: number | null } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { value: null };
  const n = Number(trimmed);
  if (!Number.isInteger(n) || n < 0) return { problem: "A whole number from 0 (0 starts no run), or empty for no limit" };
  return { value: n };
}
