import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { MAX_BODY_DEPTH } from "./body-depth.js";
import { CONTENT_SECURITY_POLICY } from "./security.js";

/** A raw HTTP exchange: what Node and Fastify answer to requests no client library would send. */
function exchange(port: number, request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let text = "";
    socket.on("data", (d) => (text += d));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
    });
  });
}

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe.each(DATABASE_KINDS)("answers written by Fastify and Node, and deep bodies, on %s", (kind) => {
  let app: TestApp;
  let port: number;
  beforeAll(async () => {
    app = await openTestApp(kind);
    await app.app.listen({ port: 0, host: "127.0.0.1" });
    port = (app.app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.cleanup());

  const expectSecurityHeaders = (headers: Record<string, string>, what: string) => {
    expect(headers["x-content-type-options"], what).toBe("nosniff");
    expect(headers["x-frame-options"], what).toBe("DENY");
    expect(headers["content-security-policy"], what).toBe(CONTENT_SECURITY_POLICY);
    expect(headers["referrer-policy"], what).toBe("no-referrer");
    expect(headers["cache-control"], what).toBe("no-store");
  };

  it.each([
    ["a URL that does not decode", "GET /api/flows/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400, "InvalidUrl"],
    ["a request line that is not HTTP", "NOT HTTP AT ALL\r\n\r\n", 400, "BadRequest"],
    ["headers over the size limit", `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`, 431, "HeadersTooLarge"],
    ["a body that is not JSON", "PUT /api/variables/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{x}", 400, "InvalidJson"],
    ["a body of another media type", "PUT /api/variables/x HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 4\r\nConnection: close\r\n\r\n<a/>", 415, "UnsupportedMediaType"],
    ["a route that does not exist", "GET /api/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404, "RouteNotFound"],
  ])("%s: the status, Baton's error body and the security headers", async (what, request, status, code) => {
    const answer = await exchange(port, request);
    expect(answer.status, what).toBe(status);
    expect(JSON.parse(answer.body).code, what).toBe(code);
    expectSecurityHeaders(answer.headers, what);
  });

  it("a body over the size limit: 413 with the security headers", async () => {
    const body = JSON.stringify({ value: "x".repeat(1024 * 1024 + 10) });
    const answer = await exchange(port, `PUT /api/variables/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(answer.status).toBe(413);
    expectSecurityHeaders(answer.headers, "413");
  });

  it("a 10,000-deep JSON value is a 400 naming where, not a 500; nothing is stored", async () => {
    const answer = await app.app.inject({ method: "PUT", url: "/api/variables/deep", payload: `{"value":${nested(10_000)}}`, headers: { "content-type": "application/json" } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: "BodyTooDeep", message: expect.stringContaining("at body.value[0][0]") });
    expect((await app.api("GET", "/variables/deep")).status).toBe(404);
  });

  it("variant: deep values in a deployment's job variables and in a template check; the limit itself passes", async () => {
    const deployment = await app.app.inject({ method: "POST", url: "/api/deployments", payload: `{"flow_name":"etl","name":"deep","entrypoint":"flows/etl.ts:etl","job_variables":{"env":{"A":${nested(5_000)}}}}`, headers: { "content-type": "application/json" } });
    expect(deployment.statusCode).toBe(400);
    expect(deployment.json().message).toContain("at body.job_variables.env.A");
    const check = await app.app.inject({ method: "POST", url: "/api/work_pools/check_template", payload: `{"base_job_template":{"job_configuration":{"x":${nested(MAX_BODY_DEPTH)}}}}`, headers: { "content-type": "application/json" } });
    expect(check.statusCode).toBe(400);
    // {"value": ...} is one level; the value may take the other 99.
    const atLimit = await app.app.inject({ method: "PUT", url: "/api/variables/deep", payload: `{"value":${nested(MAX_BODY_DEPTH - 1)}}`, headers: { "content-type": "application/json" } });
    expect(atLimit.statusCode).toBe(200);
  });
});
