import { ValidationError } from "@baton/core";

/**
 * Cursors are opaque to clients: the sort key of the last row of a page, base64url-encoded
 * JSON. Keyset pagination stays fast on deep pages and stable while rows are added.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === parts && key.every((k) => typeof k === "string")) return key as string[];
  } catch {
    // fall through to the error below
  }
  const message = "not a cursor this server made; pass the next_cursor of the previous page, or leave it out for the first page";
  throw new ValidationError(`ValidationError: query.cursor: ${message}`, [{ path: "query.cursor", message }]);
}

/** Fetch `limit + 1` rows, return `limit` and a cursor when there is more. */
export function pageFrom<R, T>(rows: R[], limit: number, toItem: (row: R) => T, key: (row: R) => string[]): { items: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), next_cursor: more && kept.length > 0 ? encodeCursor(key(kept[kept.length - 1]!)) : null };
}
