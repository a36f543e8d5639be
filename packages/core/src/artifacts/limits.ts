import { BatonError } from "../errors.js";

/**
 * Artifacts' limits, shared by the SDK (which checks before sending, so the error points at the
 * line that made the artifact) and the server (which enforces them for every client). Plain
 * values, no zod: the SDK imports them through `@baton/core/runtime`.
 */

/** The kinds of artifact flow code can make (Prefect 3's, without images). */
export const ARTIFACT_TYPES = ["markdown", "table", "link", "progress"] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** Bytes of an artifact's data as JSON: below the API's 1 MiB body limit, so this error is the one a user sees. */
export const ARTIFACT_MAX_BYTES = 512 * 1024;
export const ARTIFACT_MAX_DESCRIPTION = 2000;
/** Rows of a table artifact (a table the UI can still render). */
export const ARTIFACT_MAX_TABLE_ROWS = 5000;
/** Keys as Prefect has them: lowercase letters, digits and dashes. */
export const ARTIFACT_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;
export const ARTIFACT_KEY_RULE = "use 1 to 100 lowercase letters, digits and dashes, starting with a letter or digit";

/** Size of a value as the API stores it (UTF-8 bytes of its JSON). */
export function artifactDataBytes(data: unknown): number {
  return new TextEncoder().encode(JSON.stringify(data) ?? "null").length;
}

/** 413: an artifact's data is over ARTIFACT_MAX_BYTES; thrown by the SDK before sending, and by the server for every client. */
export class ArtifactTooLarge extends BatonError {
  override readonly code = "ArtifactTooLarge";
  override readonly status = 413;
  constructor(what: string, bytes: number) {
    super(
      `ArtifactTooLarge: ${what} is ${bytes} bytes of JSON; the limit is ${ARTIFACT_MAX_BYTES} bytes (ARTIFACT_MAX_BYTES) per artifact; ` +
        "keep a summary in the artifact and the full data in your own storage, linked with createLinkArtifact",
    );
  }
}

/** Throws ArtifactTooLarge when `data` is over the limit. `what` names the artifact: `markdown artifact "daily-report"`. */
export function checkArtifactSize(type: string, key: string | null | undefined, data: unknown): void {
  const bytes = artifactDataBytes(data);
  if (bytes > ARTIFACT_MAX_BYTES) throw new ArtifactTooLarge(key ? `${type} artifact "${key}"` : `the ${type} artifact`, bytes);
}

/** A table given as rows of objects, as columns (an object of arrays), or as rows of arrays (the first the header). */
export type ArtifactTableInput = Record<string, unknown>[] | Record<string, unknown[]> | unknown[][];

/** Every shape of table as rows of objects, with the columns in first-seen order (what the API stores and the UI draws). */
export function normalizeTable(table: ArtifactTableInput): { columns: string[]; rows: Record<string, unknown>[] } {
  if (Array.isArray(table)) {
    if (table.length > 0 && table.every(Array.isArray)) {
      const [header, ...rest] = table as unknown[][];
      const columns = header!.map(String);
      return { columns, rows: rest.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))) };
    }
    const rows = table as Record<string, unknown>[];
    const columns: string[] = [];
    for (const row of rows) for (const key of Object.keys(row ?? {})) if (!columns.includes(key)) columns.push(key);
    return { columns, rows };
  }
  const columns = Object.keys(table);
  const length = Math.max(0, ...columns.map((c) => (Array.isArray(table[c]) ? table[c]!.length : 0)));
  return { columns, rows: Array.from({ length }, (_, i) => Object.fromEntries(columns.map((c) => [c, table[c]?.[i] ?? null]))) };
}
