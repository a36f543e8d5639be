import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { createApp } from "../index.js";

/** File modes are a SQLite matter only: a PostgreSQL database has no file on this machine. */
const dir = tempDir("baton-modes-");
afterAll(() => dir.remove());
const mode = (path: string) => statSync(path).mode & 0o777;

test("a BATON_HOME the server creates is 0700, and its database, WAL and shared-memory files 0600", async () => {
  const home = join(dir.path, "new-home", ".baton");
  const app = await createApp({ databaseUrl: `sqlite://${join(home, "baton.db")}`, batonHome: home, logLevel: "silent", services: false, auth: { enabled: false } });
  try {
    expect((await app.app.inject({ method: "PUT", url: "/api/variables/region", payload: { value: "eu" } })).statusCode).toBe(200);
    expect(mode(home)).toBe(0o700);
    expect(mode(join(dir.path, "new-home"))).toBe(0o700);
    for (const file of ["baton.db", "baton.db-wal", "baton.db-shm"]) expect(mode(join(home, file)), file).toBe(0o600);
  } finally {
    await app.close();
  }
});

test("variant: a folder that already exists keeps its mode; the new database in it is still 0600", async () => {
  const shared = join(dir.path, "shared");
  (await import("node:fs")).mkdirSync(shared, { mode: 0o755 });
  const app = await createApp({ databaseUrl: `sqlite://${join(shared, "data.db")}`, batonHome: join(dir.path, "key-home"), logLevel: "silent", services: false, auth: { enabled: false } });
  try {
    expect(mode(shared)).toBe(0o755);
    expect(mode(join(shared, "data.db"))).toBe(0o600);
    expect(mode(join(shared, "data.db-wal"))).toBe(0o600);
  } finally {
    await app.close();
  }
});
