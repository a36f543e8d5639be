import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { revokeApiKey } from "./api-keys/repository.js";
import { checkListenAuth, ensureBootstrapKey, isLoopbackHost } from "./bootstrap.js";

describe.each(DATABASE_KINDS)("the bootstrap admin key on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind, { auth: { enabled: true } });
  });
  afterAll(async () => app?.cleanup());

  it("is made once, takes a given key, refuses a weak one, and is made again only when no admin key works", async () => {
    await expect(ensureBootstrapKey(app.db, "bat_short")).rejects.toThrow(/InvalidBootstrapKey/);
    await expect(ensureBootstrapKey(app.db, "not-a-baton-key-at-all-but-long-enough")).rejects.toThrow(/bat_/);
    const given = `bat_${"x".repeat(43)}`;
    const first = await ensureBootstrapKey(app.db, given);
    expect(first).toMatchObject({ name: "bootstrap-admin", role: "admin", key: given });
    expect(await ensureBootstrapKey(app.db, undefined)).toBeUndefined();
    const answer = await app.app.inject({ method: "GET", url: "/api/auth/whoami", headers: { authorization: `Bearer ${given}` } });
    expect(answer.json()).toMatchObject({ name: "bootstrap-admin", role: "admin" });

    await revokeApiKey(app.db.db, "bootstrap-admin", new Date());
    const second = await ensureBootstrapKey(app.db, undefined);
    expect(second).toMatchObject({ name: "bootstrap-admin-2", role: "admin" });
    expect(second!.key).toMatch(/^bat_[A-Za-z0-9_-]{43}$/);
  });
});

describe("listening without authentication", () => {
  it("is allowed on loopback addresses only, unless consent is given", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(() => checkListenAuth(host, false, false)).not.toThrow();
    }
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "example.com"]) {
      expect(isLoopbackHost(host), host).toBe(false);
      expect(() => checkListenAuth(host, false, false)).toThrow(/InsecureListen.*--insecure-no-auth/);
      expect(() => checkListenAuth(host, false, true)).not.toThrow();
      expect(() => checkListenAuth(host, true, false)).not.toThrow();
    }
  });
});
