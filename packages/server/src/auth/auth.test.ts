import { CSRF_HEADER, SESSION_COOKIE, uuidv7 } from "@baton/core";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, openTestApp, type AuthTestApp, type TestApp } from "../../test/harness.js";
import { installErrorHandlers } from "../http/errors.js";
import { installAuth } from "./hook.js";
import { bearer } from "./test-keys.js";

const basic = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString("base64")}` });

describe.each(DATABASE_KINDS)("credentials on %s", (kind) => {
  let app: AuthTestApp;
  let admin: string;
  const inject = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, headers: Record<string, string>, payload?: object) =>
    app.app.inject({ method, url: `/api${url}`, headers, ...(payload ? { payload } : {}) });
  const newKey = async (body: Record<string, unknown>): Promise<string> => {
    const answer = await inject("POST", "/api_keys", bearer(admin), body);
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<{ key: string }>().key;
  };

  beforeAll(async () => {
    app = await openAuthTestApp(kind, { auth: { apiAuthString: "ops:s3cret-pass" } });
    admin = app.adminKey;
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it("stores only a hash and a prefix of a key, and lists keys without them", async () => {
    const key = await newKey({ name: "ci", role: "deployer" });
    expect(key).toMatch(/^bat_[A-Za-z0-9_-]{43}$/);
    const rows = await app.db.db.selectFrom("api_keys").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key);
    const list = await inject("GET", "/api_keys", bearer(admin));
    expect(list.body).not.toContain(key);
    const ci = list.json<{ items: { name: string; prefix: string; role: string }[] }>().items.find((k) => k.name === "ci")!;
    expect(ci).toMatchObject({ role: "deployer", prefix: key.slice(0, 12) });
    expect((await inject("GET", "/auth/whoami", bearer(key))).json()).toMatchObject({ kind: "api_key", name: "ci", role: "deployer", auth_enabled: true });
  });

  it("refuses a revoked key and an expired one, saying why", async () => {
    const key = await newKey({ name: "to-revoke", role: "viewer" });
    expect((await inject("GET", "/flows", bearer(key))).statusCode).toBe(200);
    expect((await inject("DELETE", "/api_keys/to-revoke", bearer(admin))).json()).toMatchObject({ name: "to-revoke", revoked: expect.any(String) });
    const revoked = await inject("GET", "/flows", bearer(key));
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toContain("revoked");

    const expiring = await newKey({ name: "short-lived", role: "viewer", expires_in_seconds: 60 });
    await app.db.db.updateTable("api_keys").set({ expires: new Date(Date.now() - 1000).toISOString() }).where("name", "=", "short-lived").execute();
    const expired = await inject("GET", "/flows", bearer(expiring));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toContain("expired");
    expect((await inject("GET", "/flows", bearer("bat_not-a-key-the-server-made"))).statusCode).toBe(401);
  });

  it("records when a key was last used, at most once a minute", async () => {
    const key = await newKey({ name: "used", role: "viewer" });
    await inject("GET", "/flows", bearer(key));
    const first = await app.db.db.selectFrom("api_keys").select("last_used").where("name", "=", "used").executeTakeFirstOrThrow();
    expect(first.last_used).not.toBeNull();
    await inject("GET", "/flows", bearer(key));
    const second = await app.db.db.selectFrom("api_keys").select("last_used").where("name", "=", "used").executeTakeFirstOrThrow();
    expect(second.last_used).toBe(first.last_used);
  });

  it("accepts HTTP basic matching the server's auth string as admin, and refuses a wrong password", async () => {
    const ok = await inject("GET", "/auth/whoami", basic("ops:s3cret-pass"));
    expect(ok.json()).toMatchObject({ kind: "basic", name: "basic:ops", role: "admin" });
    expect((await inject("GET", "/flows", basic("ops:wrong"))).statusCode).toBe(401);
  });

  it("logs the UI in with a key: an HttpOnly SameSite=Strict cookie, and writes need the CSRF token", async () => {
    const key = await newKey({ name: "ui-user", role: "deployer" });
    const login = await inject("POST", "/auth/session", {}, { api_key: key });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers["set-cookie"]);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");
    const session = login.json<{ csrf_token: string; name: string; kind: string }>();
    expect(session).toMatchObject({ kind: "session", name: "ui-user", permissions: ["read", "deploy", "run"] });
    const sessionCookie = { cookie: cookie.split(";")[0]! };
    expect((await inject("GET", "/auth/session", sessionCookie)).json().csrf_token).toBe(session.csrf_token);
    expect((await inject("GET", "/flows", sessionCookie)).statusCode).toBe(200);

    const withoutCsrf = await inject("PUT", "/variables/colour", sessionCookie, { value: "blue" });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().message).toContain(CSRF_HEADER);
    expect((await inject("PUT", "/variables/colour", { ...sessionCookie, [CSRF_HEADER]: "wrong" }, { value: "blue" })).statusCode).toBe(403);
    expect((await inject("PUT", "/variables/colour", { ...sessionCookie, [CSRF_HEADER]: session.csrf_token }, { value: "blue" })).statusCode).toBe(200);
    // The session has the key's role, no more.
    expect((await inject("PUT", "/secrets/s", { ...sessionCookie, [CSRF_HEADER]: session.csrf_token }, { value: "x" })).statusCode).toBe(403);

    expect((await inject("DELETE", "/auth/session", { ...sessionCookie, [CSRF_HEADER]: session.csrf_token })).statusCode).toBe(204);
    expect((await inject("GET", "/flows", sessionCookie)).statusCode).toBe(401);
    expect(await app.db.db.selectFrom("sessions").selectAll().execute()).toEqual([]);
  });

  it("a key limited to a pool and a deployment acts on those only, and lists only those", async () => {
    for (const pool of ["mine", "theirs"]) expect((await inject("POST", "/work_pools", bearer(admin), { name: pool, type: "process" })).statusCode).toBe(201);
    for (const [flow, name, pool] of [["etl", "prod", "mine"], ["etl", "other", "theirs"]] as const) {
      const answer = await inject("POST", "/deployments", bearer(admin), { flow_name: flow, name, entrypoint: "flows/etl.ts:etl", work_pool_name: pool });
      expect(answer.statusCode, answer.body).toBe(200);
    }
    const limited = await newKey({ name: "limited", role: "admin", work_pools: ["mine"], deployments: ["etl/prod"] });
    expect((await inject("GET", "/work_pools/mine", bearer(limited))).statusCode).toBe(200);
    const refused = await inject("GET", "/work_pools/theirs", bearer(limited));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain("work pools mine");
    expect((await inject("POST", "/work_pools/theirs/claim", bearer(limited), { worker_name: "w" })).statusCode).toBe(403);
    expect((await inject("GET", "/deployments/name/etl/prod", bearer(limited))).statusCode).toBe(200);
    expect((await inject("GET", "/deployments/name/etl/other", bearer(limited))).statusCode).toBe(403);
    const other = (await inject("GET", "/deployments/name/etl/other", bearer(admin))).json<{ id: string }>();
    expect((await inject("POST", `/deployments/${other.id}/runs`, bearer(limited), {})).statusCode).toBe(403);
    // Flow runs of a deployment are limited like the deployment; a run of no deployment is not.
    const theirRun = await inject("POST", `/deployments/${other.id}/runs`, bearer(admin), {});
    expect(theirRun.statusCode, theirRun.body).toBe(201);
    expect((await inject("GET", `/flow_runs/${theirRun.json<{ id: string }>().id}`, bearer(limited))).statusCode).toBe(403);
    const mine = (await inject("GET", "/deployments/name/etl/prod", bearer(admin))).json<{ id: string }>();
    const myRun = (await inject("POST", `/deployments/${mine.id}/runs`, bearer(limited), {})).json<{ id: string }>();
    expect((await inject("GET", `/flow_runs/${myRun.id}`, bearer(limited))).statusCode).toBe(200);
    const adHoc = (await inject("POST", "/flow_runs", bearer(admin), { flow_name: "script" })).json<{ id: string }>();
    expect((await inject("GET", `/flow_runs/${adHoc.id}`, bearer(limited))).statusCode).toBe(200);
    const runs = (await inject("GET", "/flow_runs", bearer(limited))).json<{ items: { id: string }[] }>().items.map((r) => r.id);
    expect(runs).toContain(myRun.id);
    expect(runs).toContain(adHoc.id);
    expect(runs).not.toContain(theirRun.json<{ id: string }>().id);

    // What a run writes names its flow run in the body: lines, task runs and reports for another deployment's run are refused.
    const line = (flowRunId: string) => ({ flow_run_id: flowRunId, level: 20, message: "hi", timestamp: new Date().toISOString() });
    const theirId = theirRun.json<{ id: string }>().id;
    expect((await inject("POST", "/logs", bearer(limited), [line(myRun.id)] as never)).statusCode).toBe(201);
    expect((await inject("POST", "/logs", bearer(limited), [line(myRun.id), line(theirId)] as never)).statusCode).toBe(403);
    expect((await inject("GET", `/logs?flow_run_id=${theirId}`, bearer(limited))).statusCode).toBe(403);
    const task = (flowRunId: string) => ({ id: uuidv7(), flow_run_id: flowRunId, task_key: "t", name: "t-0", dynamic_key: "0" });
    expect((await inject("POST", "/task_runs", bearer(limited), task(theirId))).statusCode).toBe(403);
    expect((await inject("POST", "/reports", bearer(limited), { task_runs: [task(theirId)] })).statusCode).toBe(403);
    expect((await inject("POST", "/reports", bearer(limited), { task_runs: [task(myRun.id)], logs: [line(myRun.id)] })).statusCode).toBe(200);
    const theirTask = (await inject("POST", "/task_runs", bearer(admin), task(theirId))).json<{ id: string }>();
    expect((await inject("GET", `/task_runs/${theirTask.id}`, bearer(limited))).statusCode).toBe(403);
    const stateOfTheirs = { task_run_states: [{ task_run_id: theirTask.id, state: { type: "RUNNING" } }] };
    expect((await inject("POST", "/reports", bearer(limited), stateOfTheirs)).statusCode).toBe(403);
    const pools = (await inject("GET", "/work_pools", bearer(limited))).json<{ items: { name: string }[] }>().items.map((p) => p.name);
    expect(pools).toEqual(["mine"]);
    const deployments = (await inject("GET", "/deployments", bearer(limited))).json<{ items: { name: string }[] }>().items.map((d) => d.name);
    expect(deployments).toEqual(["prod"]);
  });

  it("audits writes with who, what and on which object; not reads, not failures", async () => {
    const deployer = await newKey({ name: "audited-deployer", role: "deployer" });
    const upsert = await inject("POST", "/deployments", bearer(deployer), { flow_name: "audit-flow", name: "nightly", entrypoint: "flows/etl.ts:f" });
    expect(upsert.statusCode, upsert.body).toBe(200);
    const id = upsert.json<{ deployment: { id: string } }>().deployment?.id ?? upsert.json<{ id: string }>().id;
    expect((await inject("POST", `/deployments/${id}/pause`, bearer(deployer))).statusCode).toBe(200);
    expect((await inject("PUT", "/secrets/nope", bearer(deployer), { value: "x" })).statusCode).toBe(403);
    const audit = await inject("GET", "/audit?actor=audited-deployer", bearer(admin));
    expect(audit.statusCode, audit.body).toBe(200);
    const entries = audit.json<{ items: { actor: string; role: string; action: string; object: string; status: number }[] }>().items;
    expect(entries.map((e) => `${e.action} ${e.object} ${e.status}`)).toEqual([`pauseDeployment deployment ${id} pause 200`, "upsertDeployment deployment audit-flow/nightly 200"]);
    expect(entries[0]).toMatchObject({ actor: "audited-deployer", role: "deployer" });
    expect((await inject("GET", "/audit", bearer(deployer))).statusCode).toBe(403);
  });
});

describe.each(DATABASE_KINDS)("the failed-attempt limit on %s", (kind) => {
  let app: AuthTestApp;
  beforeAll(async () => {
    // The default limit: ten failures a minute.
    app = await openAuthTestApp(kind);
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it("never refuses a valid key: eleven wrong keys from one address lock out only further wrong ones (429 with Retry-After)", async () => {
    const admin = app.adminKey;
    const flows = (key: string, remoteAddress = "10.9.9.9") => app.app.inject({ method: "GET", url: "/api/flows", headers: bearer(key), remoteAddress });
    // Asking without a credential is not a guess: it does not count.
    for (let i = 0; i < 12; i++) expect((await app.app.inject({ method: "GET", url: "/api/flows", remoteAddress: "10.9.9.9" })).statusCode).toBe(401);
    const guesses: number[] = [];
    for (let i = 0; i < 11; i++) guesses.push((await flows(`bat_guessing${String(i).padStart(40, "x")}`)).statusCode);
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(guesses[10]).toBe(429);
    const limited = await flows(`bat_guessing${"y".repeat(40)}`);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    // The right key from the same address, at once: through, every time.
    for (let i = 0; i < 3; i++) expect((await flows(admin)).statusCode).toBe(200);
    // A wrong key of another prefix counts in its own bucket.
    expect((await flows(`bat_another${"z".repeat(40)}`)).statusCode).toBe(401);
    // Logging in: the right key gets a session, a wrong one of a limited prefix gets 429.
    const login = (api_key: string) => app.app.inject({ method: "POST", url: "/api/auth/session", payload: { api_key }, remoteAddress: "10.9.9.9" });
    expect((await login(admin)).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) await login(`bat_loginguess${"q".repeat(40)}`);
    expect((await login(`bat_loginguess${"q".repeat(40)}`)).statusCode).toBe(429);
    expect((await login(admin)).statusCode).toBe(200);
    expect((await app.app.inject({ method: "GET", url: "/api/health", remoteAddress: "10.9.9.9" })).statusCode).toBe(200);
  });

  it("counts wrong basic-auth passwords per user, and still lets the right password through", async () => {
    const basic = (userPass: string) => app.app.inject({ method: "GET", url: "/api/flows", headers: { authorization: `Basic ${Buffer.from(userPass).toString("base64")}` }, remoteAddress: "10.8.8.8" });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await basic(`ops:wrong-${i}`)).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // No auth string is configured on this server, so no password is right: the user's bucket, not the address, is full.
    expect((await basic("dev:wrong")).statusCode).toBe(401);
  });
});

describe("routes outside the table", () => {
  it("are refused when they declare no permission (default deny), with auth on; open with auth off", async () => {
    for (const enabled of [true, false]) {
      const app = Fastify();
      installErrorHandlers(app);
      const { openDatabase } = await import("../db/open.js");
      const database = await openDatabase("sqlite::memory:");
      await app.register(
        async (api) => {
          installAuth(api, database, { enabled });
          api.get("/unlisted", async () => ({ ok: true }));
        },
        { prefix: "/api" },
      );
      const answer = await app.inject({ method: "GET", url: "/api/unlisted" });
      expect(answer.statusCode, answer.body).toBe(enabled ? 403 : 200);
      if (enabled) expect(answer.json().message).toContain("declares no permission");
      await app.close();
      await database.close();
    }
  });
});

describe.each(DATABASE_KINDS)("the session with authentication off on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it("GET /auth/session answers auth_enabled false (no token), so the UI needs no whoami first", async () => {
    const answer = await app.app.inject({ method: "GET", url: "/api/auth/session" });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ kind: "anonymous", auth_enabled: false, csrf_token: null, expires: null, permissions: [] });
  });
});
