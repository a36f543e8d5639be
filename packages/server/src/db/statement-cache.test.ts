import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./open.js";
import { openSqliteConnection, type SqliteConnection } from "./sqlite-connection.js";
import { cachedStatements } from "./statement-cache.js";

// SQLite only: PostgreSQL's statements go through pg, which this cache does not touch.
describe("SQLite statements kept prepared", () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const connection = (): SqliteConnection => {
    const c = openSqliteConnection(":memory:");
    cleanups.push(() => c.close());
    c.prepare("create table t (id integer primary key, name text)").run([]);
    for (const [id, name] of [[1, "one"], [2, "two"], [3, "three"]] as const) c.prepare("insert into t (id, name) values (?, ?)").run([id, name]);
    return c;
  };

  /** The connection's statements, counting how often the cache under test asks for a new one. */
  const counted = (c: SqliteConnection, size?: number) => {
    const prepared: string[] = [];
    const prepare = cachedStatements((text) => {
      prepared.push(text);
      return c.prepare(text);
    }, size);
    return { prepare, prepared };
  };

  it("prepares a text once and answers each run with that run's parameters", () => {
    const c = connection();
    const { prepare, prepared } = counted(c);
    const byId = "select name from t where id = ?";
    expect(prepare(byId).all([1])).toEqual([{ name: "one" }]);
    expect(prepare(byId).all([3])).toEqual([{ name: "three" }]);
    expect(prepare("update t set name = ? where id = ?").run(["uno", 1]).changes).toBe(1);
    expect(prepare(byId).all([1])).toEqual([{ name: "uno" }]);
    expect(prepared).toEqual([byId, "update t set name = ? where id = ?"]);
  });

  it("drops the least recently used text past its size, and prepares it again when it comes back", () => {
    const c = connection();
    const { prepare, prepared } = counted(c, 2);
    const [a, b, d] = ["select 1 as n", "select 2 as n", "select 3 as n"];
    prepare(a).all([]);
    prepare(b).all([]);
    prepare(a).all([]); // a is now the most recent: b goes when d comes
    prepare(d).all([]);
    expect(prepare(a).all([])).toEqual([{ n: 1 }]);
    expect(prepare(b).all([])).toEqual([{ n: 2 }]);
    expect(prepared).toEqual([a, b, d, b]);
  });

  it("gives a streamed query a statement of its own: the same text runs meanwhile without disturbing it", () => {
    const c = connection();
    const { prepare } = counted(c);
    const all = "select id from t order by id";
    prepare(all).all([]);
    const streamed: unknown[] = [];
    const inner: unknown[] = [];
    for (const row of prepare(all).iterate([])) {
      streamed.push(row);
      inner.push(prepare(all).all([]).length);
    }
    expect(streamed).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(inner).toEqual([3, 3, 3]);
  });

  it("sees a column added after a statement was kept (SQLite prepares it again by itself)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baton-statements-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const database = await openDatabase(`sqlite://${join(dir, "baton.db")}`);
    cleanups.push(() => database.close());
    await sql`create table probe (name text)`.execute(database.db);
    await sql`insert into probe (name) values ('v')`.execute(database.db);
    const read = () => sql<Record<string, unknown>>`select * from probe where name = ${"v"}`.execute(database.db);
    expect((await read()).rows[0]).toEqual({ name: "v" });
    await sql`alter table probe add column extra text default 'added'`.execute(database.db);
    expect((await read()).rows[0]).toEqual({ name: "v", extra: "added" });
  });
});
