import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

const ALL_KINDS = ["sqlite", "postgresql"] as const;
export type DatabaseKind = (typeof ALL_KINDS)[number];

/**
 * Every database test runs on both kinds. PostgreSQL comes from BATON_TEST_DATABASE_URL
 * (an admin connection to any database) or the machine's local server; each test database
 * is created fresh and dropped afterwards.
 *
 * BATON_TEST_DATABASES=sqlite narrows them: CI's Node 20 pass uses it, because what changes with
 * the Node version is the SQLite driver (better-sqlite3 there, node:sqlite on 24), while PostgreSQL
 * goes through pg, the same JavaScript on both, and runs in full in the Node 24 pass.
 */
export const DATABASE_KINDS: readonly DatabaseKind[] = selectedKinds(process.env.BATON_TEST_DATABASES);

function selectedKinds(wanted: string | undefined): readonly DatabaseKind[] {
  if (!wanted) return ALL_KINDS;
  const names = wanted.split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = names.filter((k) => !(ALL_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BATON_TEST_DATABASES="${wanted}": use sqlite, postgresql or both, comma-separated`);
  return ALL_KINDS.filter((k) => names.includes(k));
}

export interface TestDatabase {
  kind: DatabaseKind;
  /** What BATON_SERVER_DATABASE_URL would hold. */
  url: string;
  drop(): Promise<void>;
}

export const POSTGRES_ADMIN_URL = process.env.BATON_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "baton-sqlite-"));
    return { kind, url: `sqlite://${join(dir, "baton.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `baton_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
