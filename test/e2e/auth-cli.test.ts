import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { callApi } from "../helpers/call-api.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { freePort, tempDir } from "../helpers/tmp.js";

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("close", resolve));
}

describe.each(DATABASE_KINDS)("API keys through the baton command, against baton server start on %s", (kind) => {
  let db: TestDatabase;
  let home: { path: string; remove(): void };
  let other: { path: string; remove(): void };
  let server: ChildProcess & { output(): string };
  let apiUrl: string;
  const baton = (args: string[], env: Record<string, string> = {}) => runBaton(args, { env: { BATON_HOME: home.path, BATON_API_URL: apiUrl, ...env } });
  /** Someone else's machine: a home of its own, no key unless given. */
  const elsewhere = (args: string[], env: Record<string, string> = {}) => runBaton(args, { env: { BATON_HOME: other.path, BATON_API_URL: apiUrl, ...env } });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    home = tempDir("baton-auth-home-");
    other = tempDir("baton-auth-other-");
    const started = await startBatonServer({ home: home.path, databaseUrl: db.url, env: { BATON_SERVER_RUN_TOKEN_TTL_SECONDS: "600" } });
    apiUrl = started.apiUrl;
    server = started.child;
  }, 150_000);

  afterAll(async () => {
    await stopProcess(server);
    await db.drop();
    home.remove();
    other.remove();
  });

  it("makes run tokens that live BATON_SERVER_RUN_TOKEN_TTL_SECONDS", async () => {
    const key = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
    const call = async (method: string, path: string, body?: unknown) => (await callApi<Record<string, string>>(apiUrl, key, method, path, body)).body;
    // A token goes to the key that holds the run's claim: claim a deployment's run with this key.
    await call("POST", "/work_pools", { name: "ttl-pool", type: "process" });
    const { deployment } = (await call("POST", "/deployments", { flow_name: "ttl-check", name: "ttl", entrypoint: "x.ts:f", work_pool_name: "ttl-pool" })) as unknown as { deployment: { id: string } };
    const run = await call("POST", `/deployments/${deployment.id}/runs`, {});
    await call("POST", "/work_pools/ttl-pool/claim", { worker_name: "ttl-worker", limit: 10 });
    // It expires 600 s after it was made: between 600 s after the call went out and 600 s after it
    // came back (a second either side for the rounding of stored times), however slow the call.
    const before = Date.now();
    const token = await call("POST", `/flow_runs/${run.id}/token`);
    const after = Date.now();
    const expires = Date.parse(token.expires!);
    expect(expires).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(after + 600_000 + 1000);
  });

  it("the first start prints an admin key once and saves it in the active profile of its BATON_HOME", async () => {
    const key = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())?.[1];
    expect(key, server.output()).toBeDefined();
    expect(readFileSync(join(home.path, "profiles.toml"), "utf8")).toContain(key!);
    const listed = await baton(["api-key", "ls", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: "bootstrap-admin", role: "admin", prefix: key!.slice(0, 12) })]);
    expect(listed.stdout).not.toContain(key!);
  });

  it("without a credential the command says how to get one", async () => {
    const refused = await elsewhere(["flow-run", "ls"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Unauthorized");
    expect(refused.stderr).toContain("baton login");
  });

  it("creates a viewer key, logs in with it elsewhere, is refused writes naming the roles that may, and is refused once revoked", async () => {
    const created = await baton(["api-key", "create", "--name", "reader", "--role", "viewer", "--expires", "90d"]);
    expect(created.code, created.stderr).toBe(0);
    const key = /^(bat_\S+)$/m.exec(created.stdout)![1]!;

    const login = await runBaton(["login", "--url", apiUrl, "--key", key], { env: { BATON_HOME: other.path } });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain("as 'reader' (role viewer)");
    const profile = readFileSync(join(other.path, "profiles.toml"), "utf8");
    expect(profile).toContain(apiUrl);
    expect(profile).toContain(key);

    const asViewer = (args: string[]) => runBaton(args, { env: { BATON_HOME: other.path } });
    expect((await asViewer(["variable", "ls"])).code).toBe(0);
    const write = await asViewer(["variable", "set", "colour", "blue"]);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain("Forbidden");
    expect(write.stderr).toMatch(/deployer/);

    const ls = JSON.parse((await baton(["api-key", "ls", "--json"])).stdout) as { name: string; expires: string | null; last_used: string | null }[];
    expect(ls.find((k) => k.name === "reader")).toMatchObject({ expires: expect.any(String), last_used: expect.any(String) });

    expect((await baton(["api-key", "revoke", "reader", "--yes"])).code).toBe(0);
    const revoked = await asViewer(["variable", "ls"]);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain("revoked");
    const wrong = await runBaton(["login", "--url", apiUrl, "--key", "bat_wrongwrongwrongwrongwrong"], { env: { BATON_HOME: other.path } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("LoginRefused");
  });

  it("the audit log names who changed a deployment", async () => {
    const admin = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())![1]!;
    const upsert = await callApi(apiUrl, admin, "POST", "/deployments", { flow_name: "etl", name: "nightly", entrypoint: "flows/etl.ts:etlFlow" });
    expect(upsert.status).toBe(200);
    // A key of its own made and revoked, not the one another test revoked.
    expect((await baton(["api-key", "create", "--name", "audited", "--role", "viewer"])).code).toBe(0);
    expect((await baton(["api-key", "revoke", "audited", "--yes"])).code).toBe(0);
    const audit = await baton(["audit", "ls", "--json"]);
    expect(audit.code, audit.stderr).toBe(0);
    const entries = JSON.parse(audit.stdout) as { actor: string; action: string; object: string }[];
    expect(entries).toContainEqual(expect.objectContaining({ actor: "bootstrap-admin", action: "upsertDeployment", object: "deployment etl/nightly" }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: "bootstrap-admin", action: "revokeApiKey", object: "api_key audited" }));
    const table = await baton(["audit", "ls"]);
    expect(table.stdout).toMatch(/TIME\s+ACTOR\s+ROLE\s+ACTION\s+OBJECT/);
  });

  // Last: it revokes the admin key the tests above use.
  it("server create-admin-key recovers from a lost admin key: the printed key works against the running server and is audited", async () => {
    const lost = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(server.output())![1]!;
    const asKey = (key: string, path: string, init: RequestInit = {}) => fetch(`${apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
    expect((await asKey(lost, "/api_keys/bootstrap-admin", { method: "DELETE" })).status).toBe(200);
    expect((await asKey(lost, "/api_keys")).status).toBe(401);

    // A server command: it needs the database, not the API (no BATON_API_URL, no key).
    const recover = () => runBaton(["server", "create-admin-key", "--database-url", db.url], { env: { BATON_HOME: other.path } });
    const made = await recover();
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('"recovery-admin"');
    const key = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(made.stdout)?.[1];
    expect(key, made.stdout).toBeDefined();
    const who = (await (await asKey(key!, "/auth/whoami")).json()) as { name: string; role: string };
    expect(who).toMatchObject({ name: "recovery-admin", role: "admin" });
    expect((await asKey(key!, "/api_keys")).status).toBe(200);

    const second = await recover();
    expect(second.stdout).toContain('"recovery-admin-2"');
    const named = await runBaton(["server", "create-admin-key", "--name", "ops-recovery", "--database-url", db.url], { env: { BATON_HOME: other.path } });
    expect(named.code, named.stderr).toBe(0);
    const again = await runBaton(["server", "create-admin-key", "--name", "ops-recovery", "--database-url", db.url], { env: { BATON_HOME: other.path } });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("ApiKeyExists");
    const invalid = await runBaton(["server", "create-admin-key", "--name", "no spaces", "--database-url", db.url], { env: { BATON_HOME: other.path } });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("InvalidApiKeyName");

    const audit = (await (await asKey(key!, "/audit?action=createApiKey")).json()) as { items: { actor: string; role: string; object: string }[] };
    expect(audit.items).toContainEqual(expect.objectContaining({ actor: "server create-admin-key", role: "admin", object: "api_key recovery-admin" }));
    expect(audit.items).toContainEqual(expect.objectContaining({ actor: "server create-admin-key", object: "api_key ops-recovery" }));
  });
});

describe("baton server create-admin-key on the default SQLite database", () => {
  it("makes an admin key before the first start; the server then makes no bootstrap key and accepts it", async () => {
    const home = tempDir("baton-recovery-home-");
    try {
      const made = await runBaton(["server", "create-admin-key"], { env: { BATON_HOME: home.path } });
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain(join(home.path, "baton.db"));
      const key = /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(made.stdout)![1]!;
      const started = await startBatonServer({ home: home.path });
      try {
        expect(started.output()).not.toContain("bootstrap-admin");
        const who = await callApi(started.apiUrl, key, "GET", "/auth/whoami");
        expect(who.body).toMatchObject({ name: "recovery-admin", role: "admin" });
      } finally {
        await started.stop();
      }
    } finally {
      home.remove();
    }
  }, 150_000);
});

describe("baton server start without authentication", () => {
  it("refuses a non-loopback address unless --insecure-no-auth is given, and warns when it is", async () => {
    const home = tempDir("baton-auth-noauth-");
    try {
      const port = String(await freePort());
      const refused = await runBaton(["server", "start", "--host", "0.0.0.0", "--port", port], { env: { BATON_HOME: home.path, BATON_SERVER_AUTH_ENABLED: "false" } });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("InsecureListen");
      expect(refused.stderr).toContain("--insecure-no-auth");

      const server = await startBatonServer({ home: home.path, port: Number(port), args: ["--host", "0.0.0.0", "--insecure-no-auth"] });
      try {
        expect(server.output()).toContain("authentication is OFF");
        expect(server.output()).not.toMatch(/bat_[A-Za-z0-9_-]{43}/);
        const who = await callApi(server.apiUrl, undefined, "GET", "/auth/whoami");
        expect(who.body).toMatchObject({ kind: "anonymous", auth_enabled: false });
      } finally {
        await server.stop();
      }
    } finally {
      home.remove();
    }
  }, 150_000);
});
