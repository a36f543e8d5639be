import { statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/helpers/databases.js";
import { openDatabase } from "./open.js";
import { SERVER_WAL_AUTOCHECKPOINT_PAGES } from "./sqlite-checkpointer.js";
import { sql } from "kysely";

describe("SQLite checkpoints from a thread of their own", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("copies the WAL into the database file while the server's own connection leaves it to that thread", async () => {
    const test = await createTestDatabase("sqlite");
    const database = await openDatabase(test.url, { backgroundCheckpoints: true });
    cleanups.push(async () => {
      await database.close();
      await test.drop();
    });
    const file = test.url.replace(/^sqlite:\/\//, "");
    const [{ wal_autocheckpoint }] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db)).rows as [{ wal_autocheckpoint: number }];
    expect(wal_autocheckpoint).toBe(SERVER_WAL_AUTOCHECKPOINT_PAGES);
    const before = statSync(file).size;
    // About 8 MB in the WAL: far below the connection's own threshold, so only the thread copies it.
    const blob = "x".repeat(4000);
    for (let batch = 0; batch < 20; batch++) {
      await database.transaction(async (trx) => {
        for (let i = 0; i < 100; i++) await trx.insertInto("variables").values({ name: `v-${batch}-${i}`, value: JSON.stringify(blob), created: "2026-01-01T00:00:00Z", updated: "2026-01-01T00:00:00Z" }).execute();
      });
    }
    const deadline = Date.now() + 20_000;
    while (statSync(file).size < before + 7_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(statSync(file).size).toBeGreaterThanOrEqual(before + 7_000_000);
  });

  it("is not started for a short-lived command: SQLite's own checkpoints stay", async () => {
    const test = await createTestDatabase("sqlite");
    const database = await openDatabase(test.url);
    cleanups.push(async () => {
      await database.close();
      await test.drop();
    });
    const [{ wal_autocheckpoint }] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db)).rows as [{ wal_autocheckpoint: number }];
    expect(wal_autocheckpoint).toBe(1000);
  });
});
