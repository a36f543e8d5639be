import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes } from "@baton/core";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("the HTTP layer on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind, { bodyLimitBytes: 64 * 1024 });
  });
  afterAll(() => app.cleanup());

  it("answers health and readiness", async () => {
    expect(await app.api("GET", "/health")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await app.api("GET", "/ready")).toEqual({ status: 200, body: { status: "ready", database: kind } });
    expect((await app.api("GET", "/version")).body).toMatchObject({ database: kind, api_version: "1" });
  });

  it("serves an OpenAPI document with every route of the table, and the docs page", async () => {
    const doc = await app.api("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const route of Object.values(routes)) {
      const path = `/api${route.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
      expect(doc.body.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    expect(doc.body.paths["/api/flow_runs"].post.requestBody).toBeDefined();
    const page = await app.app.inject({ method: "GET", url: "/api/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger");
  });

  it("answers 400 for a body that is not JSON", async () => {
    const answer = await app.app.inject({ method: "POST", url: "/api/flow_runs", payload: '{"flow_name": ', headers: { "content-type": "application/json" } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: "InvalidJson" });
  });

  it("answers 413 for a body over the limit", async () => {
    const answer = await app.app.inject({ method: "POST", url: "/api/logs", payload: JSON.stringify({ big: "x".repeat(100 * 1024) }), headers: { "content-type": "application/json" } });
    expect(answer.statusCode).toBe(413);
    expect(answer.json()).toMatchObject({ code: "PayloadTooLarge" });
  });

  it("answers 404 RouteNotFound for an unknown route", async () => {
    const answer = await app.api("GET", "/no_such_thing");
    expect(answer).toMatchObject({ status: 404, body: { code: "RouteNotFound" } });
    expect(answer.body.message).toContain("/api/no_such_thing");
  });

  it("answers 4xx, never 500, for a value the database cannot store", async () => {
    const answer = await app.api("POST", "/flow_runs", { flow_name: "nul-names", name: "a\u0000b" });
    expect(answer.status).toBeLessThan(500);
  });

  it("answers 422, not 500, for a missing body", async () => {
    const answer = await app.app.inject({ method: "POST", url: "/api/flow_runs" });
    expect(answer.statusCode).toBe(422);
    expect(answer.json().code).toBe("ValidationError");
  });
});

describe.each(DATABASE_KINDS)("readiness on %s", (kind) => {
  it("answers 503 naming the database when it does not answer", async () => {
    const app = await openTestApp(kind);
    try {
      await app.db.db.destroy();
      const answer = await app.api("GET", "/ready");
      expect(answer).toMatchObject({ status: 503, body: { code: "DatabaseUnavailable" } });
      expect((await app.api("GET", "/health")).status).toBe(200);
    } finally {
      await app.app.close();
      await app.database.drop();
    }
  });
});
