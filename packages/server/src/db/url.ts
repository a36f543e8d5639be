import { BatonError } from "@baton/core";

export class InvalidDatabaseUrl extends BatonError {
  override readonly code = "InvalidDatabaseUrl";
  override readonly status = 400;
}

export type DatabaseKind = "sqlite" | "postgresql";

export type ParsedDatabaseUrl =
  | { kind: "sqlite"; /** An absolute file path, or ":memory:". */ filename: string }
  | { kind: "postgresql"; connectionString: string };

/**
 * `sqlite:///abs/path/baton.db` (the `sqlite://` prefix followed by an absolute path),
 * `sqlite::memory:`, or `postgresql://` / `postgres://`.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const trimmed = url.trim();
  if (trimmed === "sqlite::memory:" || trimmed === "sqlite://:memory:") return { kind: "sqlite", filename: ":memory:" };
  if (trimmed.startsWith("sqlite://")) {
    const filename = decodeURIComponent(trimmed.slice("sqlite://".length));
    if (!filename.startsWith("/")) {
      throw new InvalidDatabaseUrl(
        `InvalidDatabaseUrl: "${url}" does not name an absolute file path; write sqlite:// followed by the absolute path, e.g. sqlite:///home/me/.baton/baton.db`,
      );
    }
    return { kind: "sqlite", filename };
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) return { kind: "postgresql", connectionString: trimmed };
  throw new InvalidDatabaseUrl(
    `InvalidDatabaseUrl: "${redactDatabaseUrl(url)}" is not a database URL Baton knows; use sqlite:///absolute/path/baton.db or postgresql://user:password@host:5432/dbname`,
  );
}

/** The URL with any password replaced by `****`, safe to print and log. */
export function redactDatabaseUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith("sqlite:")) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token/i.test(key)) parsed.searchParams.set(key, "****");
    }
    return parsed.toString();
  } catch {
    // Not parseable as a URL: still hide what looks like `user:password@`.
    return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:****@");
  }
}
