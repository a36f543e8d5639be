import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, brotliCompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type BatonApp } from "../app.js";

const INDEX = "<!doctype html><title>Baton</title><div id=root></div>";

describe("the web UI at /", () => {
  let dir: string;
  let baton: BatonApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "baton-ui-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), INDEX);
    writeFileSync(join(dir, "assets", "index-B2x9Qk7a.js"), "console.log('app')");
    writeFileSync(join(dir, "favicon.svg"), "<svg/>");
    // What the UI build's compress step writes beside each file.
    writeFileSync(join(dir, "assets", "index-B2x9Qk7a.js.br"), brotliCompressSync("console.log('app')"));
    writeFileSync(join(dir, "index.html.gz"), gzipSync(INDEX));
    writeFileSync(join(dir, "..", "outside.txt"), "secret");
    baton = await createApp({ databaseUrl: "sqlite::memory:", services: false, logLevel: "silent", uiDir: dir });
  });
  afterAll(async () => {
    await baton.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, "..", "outside.txt"), { force: true });
  });
  const get = (url: string, accept = "text/html,application/xhtml+xml") => baton.app.inject({ method: "GET", url, headers: { accept } });

  it("serves index.html at / and must be revalidated", async () => {
    const res = await get("/");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.body).toBe(INDEX);
  });

  it("caches hashed bundles for a year and other files not at all", async () => {
    const bundle = await get("/assets/index-B2x9Qk7a.js", "*/*");
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(bundle.body).toContain("console.log");
    const icon = await get("/favicon.svg", "image/*");
    expect(icon.statusCode).toBe(200);
    expect(icon.headers["cache-control"]).toBe("no-cache");
  });

  it("sends the precompressed copy a browser accepts, and the plain file to one that accepts none", async () => {
    const br = await baton.app.inject({ method: "GET", url: "/assets/index-B2x9Qk7a.js", headers: { accept: "*/*", "accept-encoding": "gzip, deflate, br" } });
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe("console.log('app')");
    const gz = await baton.app.inject({ method: "GET", url: "/runs", headers: { accept: "text/html", "accept-encoding": "gzip" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.rawPayload).toString()).toBe(INDEX);
    // No .br of index.html: a brotli-only browser gets it plain.
    const plain = await baton.app.inject({ method: "GET", url: "/", headers: { accept: "text/html", "accept-encoding": "br" } });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(INDEX);
  });

  it("answers a page of the app (deep link, reload) with index.html", async () => {
    const res = await get("/runs/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b?tab=logs");
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers["cache-control"]).toBe("no-cache");
  });

  it("answers a missing file, and a non-page request, with 404, not the app", async () => {
    expect((await get("/assets/index-Old0000a.js", "*/*")).statusCode).toBe(404);
    expect((await get("/runs", "application/json")).statusCode).toBe(404);
  });

  it("leaves /api to the API: an unknown API path is the API's JSON 404", async () => {
    const res = await get("/api/no_such_thing");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "RouteNotFound" });
    expect((await get("/api/health", "application/json")).json()).toEqual({ status: "ok" });
  });

  it("never serves a file outside the build folder", async () => {
    const res = await get("/..%2foutside.txt", "*/*");
    expect(res.body).not.toContain("secret");
    const res2 = await get("/../outside.txt", "*/*");
    expect(res2.body).not.toContain("secret");
  });
});

describe("the web UI when it is not built", () => {
  it("says so at / and how to build it, while the API works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baton-ui-empty-"));
    const baton = await createApp({ databaseUrl: "sqlite::memory:", services: false, logLevel: "silent", uiDir: dir });
    try {
      const res = await baton.app.inject({ method: "GET", url: "/runs", headers: { accept: "text/html" } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("The web UI is not built");
      expect(res.body).toContain("npm run build");
      expect(res.body).toContain(dir);
      expect((await baton.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    } finally {
      await baton.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
