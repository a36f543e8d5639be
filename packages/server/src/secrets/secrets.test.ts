import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/helpers/databases.js";
import { createApp } from "../index.js";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { parseDatabaseUrl } from "../db/url.js";
import { openSqliteConnection } from "../db/sqlite-connection.js";
import { parseKey } from "./key.js";

const SECRET = `sk-live-${randomBytes(12).toString("hex")}`;

/** Every text cell of every table, read straight from the database: what someone with a copy of it sees. */
async function everyCell(kind: string, url: string): Promise<{ table: string; text: string }[]> {
  const cells: { table: string; text: string }[] = [];
  const parsed = parseDatabaseUrl(url);
  if (parsed.kind === "sqlite") {
    // The same driver the server uses on this Node version (better-sqlite3 aborts on Node 24).
    const db = openSqliteConnection(parsed.filename);
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
      for (const { name } of tables) for (const row of db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]) cells.push({ table: name, text: JSON.stringify(row) });
    } finally {
      db.close();
    }
    return cells;
  }
  const client = new pg.Client({ connectionString: parsed.connectionString });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'");
    for (const { tablename } of tables.rows) for (const row of (await client.query(`select * from "${tablename}"`)).rows) cells.push({ table: tablename, text: JSON.stringify(row) });
  } finally {
    await client.end();
  }
  void kind;
  return cells;
}

describe.each(DATABASE_KINDS)("secrets on %s", (kind) => {
  let app: TestApp;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "baton-home-"));
    app = await openTestApp(kind, { batonHome: home });
  });
  afterAll(async () => {
    await app.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it("stores a value encrypted, lists names and dates only, and gives the value back", async () => {
    const set = await app.api("PUT", "/secrets/api-token", { value: SECRET });
    expect(set.status).toBe(200);
    expect(Object.keys(set.body).sort()).toEqual(["created", "deployments", "name", "updated", "work_pools"]);
    // Set without a scope: usable by no deployment until an admin scopes it.
    expect(set.body).toMatchObject({ work_pools: [], deployments: [] });
    const list = await app.api("GET", "/secrets");
    expect(list.body.items).toEqual([set.body]);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect((await app.api("GET", "/secrets/api-token/value")).body).toEqual({ name: "api-token", value: SECRET });
    // The key file was made on first use, readable by its owner only.
    expect(statSync(join(home, "server.key")).mode & 0o777).toBe(0o600);
    expect(parseKey(readFileSync(join(home, "server.key"), "utf8"))).toHaveLength(32);
  });

  it("keeps the value nowhere in the database but the secrets table, and there only encrypted", async () => {
    await app.api("PUT", "/secrets/deploy-key", { value: SECRET, work_pools: ["sec"] });
    await app.api("POST", "/work_pools", { name: "sec", type: "process" });
    await app.api("POST", "/deployments", {
      flow_name: "etl",
      name: "sec",
      entrypoint: "flows/etl.ts:etl",
      work_pool_name: "sec",
      pull_steps: [{ git_clone: { repository: "https://example.com/org/repo.git", access_token: "{{ baton.secrets.deploy-key }}" } }],
      job_variables: { env: { TOKEN: "{{ baton.secrets.deploy-key }}" } },
    });
    const cells = await everyCell(kind, app.database.url);
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.filter((c) => c.text.includes(SECRET))).toEqual([]);
    expect(cells.filter((c) => c.table === "secrets")).toHaveLength(2);
    expect(cells.some((c) => c.text.includes("{{ baton.secrets.deploy-key }}"))).toBe(true);
  });

  it("replaces a value, deletes, and names the command when a secret is missing", async () => {
    await app.api("PUT", "/secrets/rotating", { value: "one" });
    await app.api("PUT", "/secrets/rotating", { value: "two" });
    expect((await app.api("GET", "/secrets/rotating/value")).body.value).toBe("two");
    expect((await app.api("DELETE", "/secrets/rotating")).status).toBe(204);
    const missing = await app.api("GET", "/secrets/rotating/value");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("baton secret set rotating");
    expect((await app.api("DELETE", "/secrets/rotating")).status).toBe(404);
    const badName = await app.api("PUT", "/secrets/has space", { value: "x" });
    expect(badName.status).toBe(422);
    expect(badName.body.issues.map((i: { path: string }) => i.path)).toEqual(["params.name"]);
    const empty = await app.api("PUT", "/secrets/empty", { value: "" });
    expect(empty.body.issues.map((i: { path: string }) => i.path)).toEqual(["body.value"]);
  });

  it("cannot decrypt with another key, and says how to recover", async () => {
    const database = await createTestDatabase(kind);
    const setAndRead = async (encryptionKey: string) => {
      const server = await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, encryptionKey, auth: { enabled: false } });
      try {
        expect((await server.app.inject({ method: "PUT", url: "/api/secrets/moved", payload: { value: SECRET } })).statusCode).toBe(200);
        const answer = await server.app.inject({ method: "GET", url: "/api/secrets/moved/value" });
        return { status: answer.statusCode, body: answer.json() };
      } finally {
        await server.close();
      }
    };
    const first = randomBytes(32).toString("hex");
    try {
      expect((await setAndRead(first)).body.value).toBe(SECRET);
      const server = await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, encryptionKey: "a passphrase, not the key it was stored with", auth: { enabled: false } });
      try {
        const answer = await server.app.inject({ method: "GET", url: "/api/secrets/moved/value" });
        expect(answer.statusCode).toBe(500);
        expect(answer.json()).toMatchObject({ code: "SecretUndecryptable", message: expect.stringContaining("baton secret set moved") });
        expect(answer.body).not.toContain(SECRET);
      } finally {
        await server.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe("secret keys", () => {
  it("reads 32 bytes as hex or base64, and stretches anything else as a passphrase", () => {
    const bytes = randomBytes(32);
    expect(parseKey(bytes.toString("hex"))).toEqual(bytes);
    expect(parseKey(bytes.toString("base64"))).toEqual(bytes);
    expect(parseKey(bytes.toString("base64url"))).toEqual(bytes);
    const derived = parseKey("correct horse battery staple");
    expect(derived).toHaveLength(32);
    expect(parseKey("correct horse battery staple")).toEqual(derived);
    expect(parseKey("another passphrase")).not.toEqual(derived);
  });
});

describe.each(DATABASE_KINDS)("variables on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("stores JSON values: set, read, list, replace, delete", async () => {
    const set = await app.api("PUT", "/variables/regions", { value: ["eu", "us"] });
    expect(set.body).toMatchObject({ name: "regions", value: ["eu", "us"] });
    await app.api("PUT", "/variables/limit", { value: 10 });
    await app.api("PUT", "/variables/nothing", { value: null });
    expect((await app.api("GET", "/variables/nothing")).body.value).toBeNull();
    await app.api("PUT", "/variables/limit", { value: { max: 20 } });
    expect((await app.api("GET", "/variables/limit")).body.value).toEqual({ max: 20 });
    const list = await app.api("GET", "/variables?limit=2");
    expect(list.body.items.map((v: { name: string }) => v.name)).toEqual(["limit", "nothing"]);
    const next = await app.api("GET", `/variables?limit=2&cursor=${list.body.next_cursor}`);
    expect(next.body.items.map((v: { name: string }) => v.name)).toEqual(["regions"]);
    expect((await app.api("DELETE", "/variables/limit")).status).toBe(204);
    const missing = await app.api("GET", "/variables/limit");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("VariableNotFound");
    expect(missing.body.message).toContain("set it with baton variable set limit VALUE");
    expect((await app.api("PUT", "/variables/empty", {})).status).toBe(422);
  });
});
