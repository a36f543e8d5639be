import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../test/helpers/databases.js";
import { ensureBootstrapKey } from "../bootstrap.js";
import { createApp, type BatonApp } from "../../index.js";
import { bearer } from "../test-keys.js";
import { KEY_CACHE_MS } from "./cache.js";

// Two replicas on one PostgreSQL: each keeps a key's row for KEY_CACHE_MS. Revoked on one, the
// key is refused there at once and on the other within that time: never later.
describe("a cached API key across replicas on postgresql", () => {
  let database: TestDatabase | undefined;
  const apps: BatonApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database?.drop();
  });

  it("is refused at once where it was revoked, and within KEY_CACHE_MS on the other replica", async () => {
    database = await createTestDatabase("postgresql");
    const open = async () => {
      const app = await createApp({ databaseUrl: database!.url, logLevel: "silent", services: false, auth: { enabled: true } });
      apps.push(app);
      return app;
    };
    const [a, b] = [await open(), await open()];
    const admin = (await ensureBootstrapKey(a.db, undefined))!.key;
    const call = (app: BatonApp, method: "GET" | "POST" | "DELETE", url: string, key: string, payload?: object) =>
      app.app.inject({ method, url: `/api${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });
    const made = await call(a, "POST", "/api_keys", admin, { name: "soon-gone", role: "viewer" });
    const key = made.json<{ key: string }>().key;
    // Both replicas have the key's row cached now.
    expect((await call(a, "GET", "/flows", key)).statusCode).toBe(200);
    expect((await call(b, "GET", "/flows", key)).statusCode).toBe(200);

    expect((await call(a, "DELETE", "/api_keys/soon-gone", admin)).statusCode).toBe(200);
    const revokedAt = Date.now();
    expect((await call(a, "GET", "/flows", key)).statusCode).toBe(401);
    let refusedAfter: number | undefined;
    while (refusedAfter === undefined && Date.now() - revokedAt < KEY_CACHE_MS + 2_000) {
      if ((await call(b, "GET", "/flows", key)).statusCode === 401) refusedAfter = Date.now() - revokedAt;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(refusedAfter).toBeDefined();
    expect(refusedAfter!).toBeLessThanOrEqual(KEY_CACHE_MS + 750);
  });
});
