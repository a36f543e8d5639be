import { CSRF_HEADER, SESSION_COOKIE, fillPath, routes, uuidv7, type RouteDef } from "@baton/core";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, openTestApp, type AuthTestApp } from "../../test/harness.js";
import { bearer, keysByRole } from "../auth/test-keys.js";

/**
 * Every header the server reads, malformed on purpose, on every route, with every credential:
 * an answer below 500 each time. A bad header is the client's mistake (4xx) or is ignored;
 * it never throws inside the server (a malformed Cookie once answered 500 "URI malformed").
 */
const AUTH_STRING = "fuzz-admin:fuzz-password-123";
const PARAMS: Record<string, string> = { id: uuidv7(), name: "not-there", flow: "no-flow", queue: "no-queue" };

/** Header sets that clients send by mistake or on purpose; each replaces what the credential set. */
const BAD_HEADERS: Record<string, string>[] = [
  { cookie: `${SESSION_COOKIE}=%E0%A4%A` },
  { cookie: `${SESSION_COOKIE}=%` },
  { cookie: `${SESSION_COOKIE}=%ZZ; other=%E0` },
  { cookie: `${SESSION_COOKIE}` },
  { cookie: `=; ;;=;${SESSION_COOKIE}=` },
  { cookie: `${SESSION_COOKIE}="quoted%"; ${SESSION_COOKIE}=second` },
  { cookie: `${SESSION_COOKIE}=${"a".repeat(6000)}` },
  { cookie: `${SESSION_COOKIE}=\u00ff\u00fe` },
  { authorization: "Bearer" },
  { authorization: "Bearer    " },
  { authorization: "Bearer %E0%A4%A" },
  { authorization: "Basic" },
  { authorization: "Basic !!!" },
  { authorization: `Basic ${Buffer.from([0xff, 0xfe, 0x00, 0x3a]).toString("base64")}` },
  { authorization: `Basic ${Buffer.from("no-colon-here").toString("base64")}` },
  { authorization: "Digest username=x" },
  { authorization: "Bearer brt_not.a.token" },
  { authorization: "Bearer brt_" },
  { authorization: `Bearer bat_${"x".repeat(4000)}` },
  { authorization: "\u00ff\u00fe" },
  { "content-type": "application/json; charset=latin1" },
  { "content-type": "application/json; charset=" },
  { "content-type": "application/json;;;" },
  { "content-type": ";;;" },
  { "content-type": "text/plain" },
  { "content-type": "multipart/form-data; boundary=" },
  { "content-type": "application/x-www-form-urlencoded" },
  { "content-type": "APPLICATION/JSON" },
  { "content-type": "\u00ff/\u00fe" },
  { accept: "text/event-stream" },
  { accept: "*/*;q=abc" },
  { accept: ";;;,,," },
  { accept: "application/xml" },
  { accept: "\u00ff" },
  { "accept-encoding": "gzip;q=x, br;q=" },
  { "accept-language": "\u00ff;q=-1" },
  { [CSRF_HEADER]: "\u00ff%E0" },
  { "x-forwarded-for": "::::, %E0, \u00ff" },
  { "x-forwarded-proto": "\u00ff" },
  { "x-forwarded-host": "%E0%A4%A" },
  { "if-none-match": '"' },
  { "if-modified-since": "not a date" },
  { range: "bytes=abc-def" },
  { "last-event-id": "%E0%A4%A" },
  { origin: "null" },
  { origin: "http://%E0%A4%A" },
  { host: "\u00ff:99999" },
];

/** Bad headers sent per route and credential: with 10 credentials, each route meets every one. */
const PER_PAIR = Math.ceil(BAD_HEADERS.length / 4);

interface Target {
  name: string;
  method: string;
  url: string;
  payload?: string;
}

function targets(): Target[] {
  const table = Object.entries(routes as Record<string, RouteDef>).map(([name, route]): Target => {
    const names = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
    const url = `/api${fillPath(route.path, Object.fromEntries(names.map((n) => [n, PARAMS[n] ?? "x"])))}`;
    const body = route.method === "GET" || route.method === "DELETE" ? undefined : route === routes.claimFlowRuns ? { worker_name: "w", wait_seconds: 0 } : {};
    return { name, method: route.method, url, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) };
  });
  // Beyond the table: the live-updates stream (asked for a type that does not exist, so it answers
  // rather than streams), the API documents, and the UI's static files.
  const others: Target[] = [
    { name: "events", method: "GET", url: "/api/events?types=nothing" },
    { name: "openapi", method: "GET", url: "/api/openapi.json" },
    { name: "ui index", method: "GET", url: "/" },
    { name: "ui route", method: "GET", url: "/runs/x" },
    { name: "ui asset", method: "GET", url: "/assets/missing.js" },
    { name: "unknown api route", method: "GET", url: "/api/nothing-here" },
  ];
  return [...table, ...others];
}

describe.each(DATABASE_KINDS)("malformed headers on every route with every credential, on %s", (kind) => {
  let app: AuthTestApp;
  const credentials: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    app = await openAuthTestApp(kind, { auth: { apiAuthString: AUTH_STRING, rateLimit: { maxFailures: 1_000_000 } } });
    const admin = app.adminKey;
    const keys = await keysByRole(app.app, admin, "headers");
    for (const [role, key] of Object.entries(keys)) credentials[role] = bearer(key);
    credentials.basic = { authorization: `Basic ${Buffer.from(AUTH_STRING).toString("base64")}` };
    const login = await app.app.inject({ method: "POST", url: "/api/auth/session", payload: { api_key: admin } });
    expect(login.statusCode, login.body).toBe(200);
    credentials.session = { cookie: String(login.headers["set-cookie"]).split(";")[0]!, [CSRF_HEADER]: login.json<{ csrf_token: string }>().csrf_token };
    // A run token goes only to the worker holding the run's claim: a deployment run, claimed.
    const call = async (method: "POST", url: string, key: string, payload: unknown) => {
      const answer = await app.app.inject({ method, url: `/api${url}`, headers: bearer(key), payload: payload as Record<string, unknown> });
      expect(answer.statusCode, answer.body).toBeLessThan(300);
      return answer.json<Record<string, any>>();
    };
    await call("POST", "/work_pools", admin, { name: "header-fuzz", type: "process" });
    const { deployment } = await call("POST", "/deployments", admin, { flow_name: "header-fuzz", name: "d", entrypoint: "flows/f.ts:f", work_pool_name: "header-fuzz" });
    const run = await call("POST", `/deployments/${deployment.id}/runs`, admin, {});
    await call("POST", "/work_pools/header-fuzz/claim", keys.worker!, { worker_name: "w", wait_seconds: 0 });
    const token = await app.app.inject({ method: "POST", url: `/api/flow_runs/${run.id}/token`, headers: bearer(keys.worker!) });
    expect(token.statusCode, token.body).toBe(201);
    credentials.run_token = bearer(token.json<{ token: string }>().token);
    credentials.none = {};
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it("answers below 500 every time", async () => {
    const failures: string[] = [];
    let sent = 0;
    const all = targets();
    for (const [t, target] of all.entries()) {
      // Logging out would end the session the other routes are called with: it goes last, below.
      if (target.url === "/api/auth/session" && target.method === "DELETE") continue;
      for (const [c, [credential, headers]] of Object.entries(credentials).entries()) {
        // A share of the bad headers per route and credential, rotated so that across the
        // credentials every route meets every bad header (all of them would take minutes).
        const share = Array.from({ length: PER_PAIR }, (_, k) => BAD_HEADERS[(t * 7 + c * PER_PAIR + k) % BAD_HEADERS.length]!);
        for (const bad of share) {
          const base = target.payload !== undefined ? { "content-type": "application/json" } : {};
          // A bad Cookie is added beside a session cookie too, as a browser sends all of a site's cookies.
          const merged = credential === "session" && bad.cookie ? { ...headers, cookie: `${headers.cookie}; ${bad.cookie}` } : { ...base, ...headers, ...bad };
          const answer = await app.app.inject({ method: target.method as "GET", url: target.url, headers: merged, ...(target.payload !== undefined ? { payload: target.payload } : {}) });
          sent += 1;
          if (answer.statusCode >= 500) failures.push(`${target.name} ${target.method} ${target.url} as ${credential} with ${JSON.stringify(bad).slice(0, 80)}: ${answer.statusCode} ${answer.body.slice(0, 160)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(Object.keys(routes).length * PER_PAIR * Object.keys(credentials).length);
    expect(failures.slice(0, 30), `${failures.length} answers of 5xx`).toEqual([]);
    // The session still works after all that: nothing above was taken for a logout or a lockout.
    expect((await app.app.inject({ method: "GET", url: "/api/flows", headers: credentials.session })).statusCode).toBe(200);
    for (const bad of BAD_HEADERS) {
      const answer = await app.app.inject({ method: "DELETE", url: "/api/auth/session", headers: { ...credentials.none, ...bad } });
      expect(answer.statusCode, JSON.stringify(bad)).toBeLessThan(500);
    }
  }, 600_000);

  it("raw bytes on a real socket (invalid UTF-8, control characters, folded lines) get a status below 500", async () => {
    await app.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.app.server.address() as AddressInfo;
    const raw = (head: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1");
        let answer = "";
        socket.on("data", (d) => {
          answer += d.toString("latin1");
          if (answer.includes("\r\n")) socket.destroy();
        });
        socket.on("close", () => resolve(answer.split("\r\n")[0]!));
        socket.on("error", reject);
        socket.write(head);
      });
    const request = (header: Buffer) => Buffer.concat([Buffer.from("GET /api/flows HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"), header, Buffer.from("\r\n\r\n")]);
    const odd = [
      Buffer.concat([Buffer.from(`Cookie: ${SESSION_COOKIE}=`), Buffer.from([0xe0, 0xa4, 0xff, 0xfe])]),
      Buffer.concat([Buffer.from("Authorization: Bearer "), Buffer.from([0xc3, 0x28, 0x80])]),
      Buffer.concat([Buffer.from("Authorization: Basic "), Buffer.from([0xff, 0xff])]),
      Buffer.concat([Buffer.from("Accept: "), Buffer.from([0x01, 0x7f])]),
      Buffer.from("Content-Type: application/json\r\n continued-on-a-folded-line"),
      Buffer.concat([Buffer.from("X-Baton-Csrf: "), Buffer.from([0x00])]),
      Buffer.from(`Cookie: ${"a=b; ".repeat(4000)}`),
    ];
    for (const header of odd) {
      const status = await raw(request(header));
      expect(status, `${header.toString("latin1").slice(0, 60)} answered ${status}`).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
    }
  });

  it("a malformed session cookie is a 401 that names the fix, and counts as a failed attempt", async () => {
    const answer = await app.app.inject({ method: "GET", url: "/api/flows", headers: { cookie: `${SESSION_COOKIE}=%E0%A4%A` } });
    expect(answer.statusCode, answer.body).toBe(401);
    expect(answer.json<{ message: string }>().message).toMatch(/log in/);

    const limited = await openTestApp(kind, { auth: { enabled: true, rateLimit: { maxFailures: 3 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.app.inject({ method: "GET", url: "/api/flows", headers: { cookie: `${SESSION_COOKIE}=%E0%A4%A${i}` } })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.cleanup();
    }
  });
});
