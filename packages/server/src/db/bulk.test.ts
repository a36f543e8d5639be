import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, createTestDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase, type BatonDatabase } from "./open.js";

describe.each(DATABASE_KINDS)("bulk.insertNew on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const open = async (): Promise<BatonDatabase> => {
    const test = await createTestDatabase(kind);
    const database = await openDatabase(test.url);
    cleanups.push(async () => {
      await database.close();
      await test.drop();
    });
    return database;
  };
  const columns = ["id", "name", "tags", "created", "updated"].map((name) => ({ name, type: "text" as const }));
  const row = (id: string, name: string, tags: string[]) => [id, name, JSON.stringify(tags), "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"];

  it("inserts every row whose key is new and names exactly those, across statements of every size", async () => {
    const database = await open();
    // A flow's name is unique: the key the insert skips on.
    const first = Array.from({ length: 70 }, (_, i) => row(`a-${i}`, `f${i}`, ["first"]));
    const one = await database.transaction((trx) => database.bulk.insertNew(trx, "flows", columns, first, ["name"]));
    expect(one.size).toBe(70);
    // 130 rows (64 + 64 + 2 a statement): every third name exists already under another id.
    const taken = (i: number) => i % 3 === 0 && i < 70;
    const second = Array.from({ length: 130 }, (_, i) => row(`b-${i}`, taken(i) ? `f${i}` : `g${i}`, ["second"]));
    const two = await database.transaction((trx) => database.bulk.insertNew(trx, "flows", columns, second, ["name"]));
    const expected = second.filter((_, i) => !taken(i)).map((r) => r[0]);
    expect([...two].sort()).toEqual([...expected].sort());
    const kept = await database.db.selectFrom("flows").select(["id", "tags"]).where("name", "=", "f3").executeTakeFirstOrThrow();
    expect(kept).toEqual({ id: "a-3", tags: `["first"]` });
    expect(Number((await database.db.selectFrom("flows").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBe(70 + expected.length);
  });
});
