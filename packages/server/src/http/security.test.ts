import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ClaimRequestSchema } from "@baton/core";
import { openTestApp, type TestApp } from "../../test/harness.js";
import { CONTENT_SECURITY_POLICY, DEFAULT_ROUTE_BODY_LIMIT, InvalidCorsOrigin, parseAllowedOrigins, SERVER_TIMEOUTS } from "./security.js";

const json = { "content-type": "application/json" };

describe("security headers and limits (CORS closed)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp("sqlite");
  });
  afterAll(() => app.cleanup());

  it("sends the security headers on API answers, errors and 404s, and no-store on the API", async () => {
    for (const url of ["/api/health", "/api/flows/not-an-id", "/api/nothing-here", "/nowhere"]) {
      const answer = await app.app.inject({ method: "GET", url });
      expect(answer.headers["x-content-type-options"], url).toBe("nosniff");
      expect(answer.headers["x-frame-options"], url).toBe("DENY");
      expect(answer.headers["referrer-policy"], url).toBe("no-referrer");
      expect(answer.headers["content-security-policy"], url).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers["strict-transport-security"], url).toBeUndefined();
      if (url.startsWith("/api/")) expect(answer.headers["cache-control"], url).toBe("no-store");
    }
  });

  it("keeps the docs page working under the policy: its scripts and styles are files of the server", async () => {
    const page = await app.app.inject({ method: "GET", url: "/api/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    // No inline script: every <script> has a src on this server.
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/src="\.?\/?[^":]+"/);
      expect(inline!.trim()).toBe("");
    }
    const initializer = await app.app.inject({ method: "GET", url: "/api/docs/static/swagger-initializer.js" });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.headers["cache-control"]).not.toBe("no-store");
  });

  it("sends no CORS header to a page of another origin, and answers no preflight", async () => {
    const answer = await app.app.inject({ method: "GET", url: "/api/health", headers: { origin: "https://evil.example" } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await app.app.inject({
      method: "OPTIONS",
      url: "/api/flows",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
  });

  it("limits bodies to 1 MiB on ordinary routes and lets report and log batches be larger", async () => {
    const big = JSON.stringify({ value: "x".repeat(DEFAULT_ROUTE_BODY_LIMIT) });
    const variable = await app.app.inject({ method: "PUT", url: "/api/variables/v", payload: big, headers: json });
    expect(variable.statusCode).toBe(413);
    expect(variable.json().message).toContain(`${DEFAULT_ROUTE_BODY_LIMIT} bytes for PUT /api/variables/v`);
    // Two MiB of log lines: over the ordinary limit, well under the batch limit. The run does
    // not exist, so the answer is about that, not about the size.
    const lines = Array.from({ length: 200 }, (_, i) => ({ flow_run_id: "0190b2a4-0000-7000-8000-000000000000", level: 20, message: `${i} ${"y".repeat(10_000)}`, timestamp: new Date().toISOString() }));
    const logs = await app.app.inject({ method: "POST", url: "/api/logs", payload: JSON.stringify(lines), headers: json });
    expect(logs.statusCode).not.toBe(413);
    expect(logs.statusCode).toBeLessThan(500);
  });
});

describe("timeouts against slow clients", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp("sqlite");
  });
  afterAll(() => app.cleanup());

  it("are set on the server, and never cut the longest claim long poll", () => {
    const server = app.app.server;
    expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeoutMs);
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeoutMs);
    expect(server.timeout).toBe(SERVER_TIMEOUTS.connectionTimeoutMs);
    // Node refuses a headers timeout longer than the request timeout.
    expect(SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThan(SERVER_TIMEOUTS.requestTimeoutMs);
    // A claim waits up to wait_seconds with nothing on the socket: the idle timeout must be longer.
    const longestWait = (z.toJSONSchema(ClaimRequestSchema, { io: "input" }) as { properties: { wait_seconds: { maximum: number } } }).properties.wait_seconds.maximum;
    expect(longestWait).toBeGreaterThan(0);
    expect(SERVER_TIMEOUTS.connectionTimeoutMs).toBeGreaterThanOrEqual(2 * longestWait * 1000);
  });
});

describe("CORS opened for allowed origins (HSTS under TLS: test/e2e/tls.test.ts)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp("sqlite", { corsAllowedOrigins: ["https://ui.example.com"] });
  });
  afterAll(() => app.cleanup());

  it("answers an allowed origin's preflight and requests, and nobody else's", async () => {
    const preflight = await app.app.inject({
      method: "OPTIONS",
      url: "/api/flows",
      headers: { origin: "https://ui.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://ui.example.com");
    expect(String(preflight.headers["access-control-allow-methods"])).toContain("POST");
    expect(String(preflight.headers["access-control-allow-headers"])).toContain("authorization");
    const get = await app.app.inject({ method: "GET", url: "/api/health", headers: { origin: "https://ui.example.com" } });
    expect(get.headers["access-control-allow-origin"]).toBe("https://ui.example.com");
    const other = await app.app.inject({ method: "GET", url: "/api/health", headers: { origin: "https://evil.example" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("parseAllowedOrigins", () => {
  it("reads comma-separated origins", () => {
    expect(parseAllowedOrigins(" https://a.example , http://b.example:8080/ ,")).toEqual(["https://a.example", "http://b.example:8080"]);
    expect(parseAllowedOrigins(undefined)).toEqual([]);
  });
  it("refuses what is not an origin, naming it", () => {
    expect(() => parseAllowedOrigins("a.example")).toThrow(InvalidCorsOrigin);
    expect(() => parseAllowedOrigins("https://a.example/path")).toThrow(/"https:\/\/a.example\/path" must be an origin only/);
    expect(() => parseAllowedOrigins("ftp://a.example")).toThrow(/https:\/\//);
  });
});
