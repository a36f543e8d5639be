import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator, type Migration } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/helpers/databases.js";
import { DATABASE_KINDS, openAuthTestApp, type AuthTestApp } from "../../test/harness.js";
import { bearer } from "../auth/test-keys.js";
import { openDatabase } from "../db/open.js";
import { migrationProvider } from "../db/migrations/index.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Secret scopes (issue 11 item 7) through the API with real keys: a deployer references only the
 * secrets an admin scoped to its pool or deployment, on deploy, on a run's own job variables, and
 * when the run reads it with its token.
 */
describe.each(DATABASE_KINDS)("secret scopes on %s", (kind) => {
  let app: AuthTestApp;
  let home: string;
  let admin: string;
  let deployer: string;
  let worker: string;
  const call = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await app.app.inject({ method, url: `/api${url}`, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: answer.statusCode, body: answer.body.length > 0 ? answer.json() : null };
  };
  const ok = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await call(method, url, key, payload);
    expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  const deployment = (flow: string, name: string, pool: string, secret: string) => ({
    flow_name: flow,
    name,
    entrypoint: "flows/etl.ts:etl",
    work_pool_name: pool,
    pull_steps: [{ git_clone: { repository: "https://example.com/org/repo.git", access_token: `{{ baton.secrets.${secret} }}` } }],
  });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "baton-scope-home-"));
    app = await openAuthTestApp(kind, { batonHome: home });
    admin = app.adminKey;
    deployer = (await ok("POST", "/api_keys", admin, { name: "ci", role: "deployer" })).key;
    worker = (await ok("POST", "/api_keys", admin, { name: "w", role: "worker" })).key;
    for (const pool of ["pool-a", "pool-b", "prod-eu"]) await ok("POST", "/work_pools", admin, { name: pool, type: "process" });
    await ok("PUT", "/secrets/deploy-key-a", admin, { value: "key-of-pool-a-000", work_pools: ["pool-a"] });
    await ok("PUT", "/secrets/unscoped", admin, { value: "nobody-may-use-it" });
    await ok("PUT", "/secrets/etl-prod", admin, { value: "etl-in-prod-only", work_pools: ["prod-*"], deployments: ["etl/*"] });
  }, 120_000);
  afterAll(async () => {
    await app?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it("refuses a deployer's reference outside the secret's scope, naming the secret, its scope and the fix; accepts one inside", async () => {
    const refused = await call("POST", "/deployments", deployer, deployment("etl", "steal", "pool-b", "deploy-key-a"));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("SecretOutOfScope");
    expect(refused.body.message).toContain('secret "deploy-key-a" may be used by work pools [pool-a] and deployments [*], not by deployment etl/steal in work pool pool-b');
    expect(refused.body.message).toContain("baton secret set deploy-key-a --keep-value --pool pool-b --deployment etl/steal");
    expect(refused.body.issues[0].path).toBe("body.pull_steps");
    expect((await ok("GET", "/deployments", admin)).items).toEqual([]);

    const unscoped = await call("POST", "/deployments", deployer, deployment("etl", "any", "pool-a", "unscoped"));
    expect(unscoped.status).toBe(422);
    expect(unscoped.body.message).toContain("no deployment (its scope is empty)");

    await ok("POST", "/deployments", deployer, deployment("etl", "a", "pool-a", "deploy-key-a"));
    // Patterns: any pool prod-*, any deployment of flow etl.
    await ok("POST", "/deployments", deployer, deployment("etl", "nightly", "prod-eu", "etl-prod"));
    expect((await call("POST", "/deployments", deployer, deployment("billing", "nightly", "prod-eu", "etl-prod"))).status).toBe(422);
    expect((await call("POST", "/deployments", deployer, deployment("etl", "nightly", "pool-a", "etl-prod"))).status).toBe(422);
  });

  it("refuses a run's own job variables naming a secret outside the scope", async () => {
    const { deployment: d } = await ok("POST", "/deployments", deployer, { flow_name: "etl", name: "vars", entrypoint: "flows/etl.ts:etl", work_pool_name: "pool-a" });
    const refused = await call("POST", `/deployments/${d.id}/runs`, deployer, { job_variables: { env: { TOKEN: "{{ baton.secrets.etl-prod }}" } } });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('secret "etl-prod"');
    await ok("POST", `/deployments/${d.id}/runs`, deployer, { job_variables: { env: { TOKEN: "{{ baton.secrets.deploy-key-a }}" } } });
  });

  it("a run token reads a secret only while it is in scope: an admin narrowing the scope cuts it off", async () => {
    const { deployment: d } = await ok("POST", "/deployments", deployer, deployment("etl", "reader", "pool-a", "deploy-key-a"));
    const run = (await ok("POST", `/deployments/${d.id}/runs`, deployer, {})).id;
    await ok("POST", "/work_pools/pool-a/claim", worker, { worker_name: "w", limit: 100 });
    const token = (await ok("POST", `/flow_runs/${run}/token`, worker)).token;
    expect((await ok("GET", "/secrets/deploy-key-a/value", token)).value).toBe("key-of-pool-a-000");
    // Only the scope changes (no value): the value stays.
    const narrowed = await ok("PUT", "/secrets/deploy-key-a", admin, { deployments: ["etl/a"] });
    expect(narrowed).toMatchObject({ work_pools: ["*"], deployments: ["etl/a"] });
    expect((await call("GET", "/secrets/deploy-key-a/value", token)).status).toBe(403);
    await ok("PUT", "/secrets/deploy-key-a", admin, { work_pools: ["pool-a"] });
    expect((await ok("GET", "/secrets/deploy-key-a/value", token)).value).toBe("key-of-pool-a-000");
    // A value rotated without a scope keeps the scope.
    expect(await ok("PUT", "/secrets/deploy-key-a", admin, { value: "rotated-key-of-pool-a" })).toMatchObject({ work_pools: ["pool-a"], deployments: ["*"] });
  });

  it("flow code reads a secret in scope that its deployment never names (getSecret); out of scope is a 403 naming the scope and the fix", async () => {
    await ok("PUT", "/secrets/code-only", admin, { value: "read-by-code-only", work_pools: ["pool-b"], deployments: ["etl/*"] });
    await ok("PUT", "/secrets/elsewhere", admin, { value: "not-for-this-run", work_pools: ["prod-*"] });
    const { deployment: d } = await ok("POST", "/deployments", deployer, { flow_name: "etl", name: "code", entrypoint: "flows/etl.ts:etl", work_pool_name: "pool-b" });
    const run = (await ok("POST", `/deployments/${d.id}/runs`, deployer, {})).id;
    await ok("POST", "/work_pools/pool-b/claim", worker, { worker_name: "w", limit: 100 });
    const token = (await ok("POST", `/flow_runs/${run}/token`, worker)).token;
    expect((await ok("GET", "/secrets/code-only/value", token)).value).toBe("read-by-code-only");
    const refused = await call("GET", "/secrets/elsewhere/value", token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("SecretOutOfScope");
    expect(refused.body.message).toContain('secret "elsewhere" may be used by work pools [prod-*] and deployments [*], not by deployment etl/code in work pool pool-b');
    expect(refused.body.message).toContain("baton secret set elsewhere --keep-value --pool pool-b --deployment etl/code");
    expect(JSON.stringify(refused.body)).not.toContain("not-for-this-run");
    // A secret that does not exist is a 404 with the command that sets it, not a 403.
    expect((await call("GET", "/secrets/never-set/value", token)).status).toBe(404);
  });

  it("only admins set a scope; a scope-only write needs an existing secret; a bad pattern is a 422 naming the field", async () => {
    expect((await call("PUT", "/secrets/deploy-key-a", deployer, { work_pools: ["*"] })).status).toBe(403);
    const missing = await call("PUT", "/secrets/not-yet", admin, { work_pools: ["pool-a"] });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('secret "not-yet" does not exist yet');
    const bad = await call("PUT", "/secrets/x", admin, { value: "v", deployments: ["no-slash"] });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("flow/deployment");
  });
});

describe.each(DATABASE_KINDS)("upgrading a database of the previous release on %s", (kind) => {
  it("scopes each existing secret to the deployments that reference it, and keeps their values", async () => {
    const database = await createTestDatabase(kind);
    try {
      const old = await openDatabase(database.url, { migrate: false });
      const previous = await migrationProvider.getMigrations();
      const upTo0004: Record<string, Migration> = Object.fromEntries(Object.entries(previous).filter(([name]) => name < "0005"));
      const result = await new Migrator({ db: old.db, provider: { getMigrations: async () => upTo0004 } }).migrateToLatest();
      expect(result.error).toBeUndefined();
      const stamp = new Date().toISOString();
      const raw = old.db as any;
      await raw.insertInto("flows").values({ id: "f1", name: "etl", tags: "[]", created: stamp, updated: stamp }).execute();
      await raw.insertInto("secrets").values([
        { name: "deploy-key", nonce: "n", ciphertext: "c", auth_tag: "t", created: stamp, updated: stamp },
        { name: "unused", nonce: "n", ciphertext: "c", auth_tag: "t", created: stamp, updated: stamp },
      ]).execute();
      const base = { flow_id: "f1", entrypoint: "x.ts:f", description: null, version: null, tags: "[]", parameters: "{}", parameter_schema: null, enforce_parameter_schema: 1, paused: 0, concurrency_limit: null, work_queue_name: null, source: null, created: stamp, updated: stamp };
      await raw.insertInto("deployments").values([
        { ...base, id: "d1", flow_name: "etl", name: "prod", work_pool_name: "k8s", job_variables: "{}", pull_steps: JSON.stringify([{ git_clone: { repository: "r", ssh_key: "{{ baton.secrets.deploy-key }}" } }]) },
        { ...base, id: "d2", flow_name: "etl", name: "dev", work_pool_name: "local", job_variables: "{}", pull_steps: "[]" },
      ]).execute();
      await old.close();

      const upgraded = await openDatabase(database.url);
      try {
        const rows = await upgraded.db.selectFrom("secrets").select(["name", "scope_work_pools", "scope_deployments", "ciphertext"]).orderBy("name").execute();
        expect(rows).toEqual([
          { name: "deploy-key", scope_work_pools: '["k8s"]', scope_deployments: '["etl/prod"]', ciphertext: "c" },
          { name: "unused", scope_work_pools: "[]", scope_deployments: "[]", ciphertext: "c" },
        ]);
      } finally {
        await upgraded.close();
      }
    } finally {
      await database.drop();
    }
  }, 60_000);
});
