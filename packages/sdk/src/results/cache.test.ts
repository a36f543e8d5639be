import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MEMORY_CACHE_MAX_BYTES, clearMemoryCache, memoryCacheUsage, readCached, writeCached } from "./cache.js";
import { localStorage, type ResultStorage } from "./storage/index.js";

describe("the in-memory result cache", () => {
  let folder: string;
  let dir: ResultStorage;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "baton-cache-"));
    dir = localStorage(folder);
    clearMemoryCache();
  });
  afterEach(() => {
    clearMemoryCache();
    rmSync(folder, { recursive: true, force: true });
  });

  it("stays within its byte bound however many results a long-lived process caches; evicted ones are read from disk", async () => {
    const megabyte = "x".repeat(1024 * 1024);
    const count = Math.ceil((MEMORY_CACHE_MAX_BYTES * 1.5) / (1024 * 1024));
    for (let i = 0; i < count; i += 1) {
      await writeCached(dir, "big", `k${i}`, { value: `${i}:${megabyte}`, expiresAt: null });
      expect(memoryCacheUsage().bytes).toBeLessThanOrEqual(MEMORY_CACHE_MAX_BYTES);
    }
    expect(memoryCacheUsage().entries).toBeLessThan(count);
    const first = await readCached(dir, "big", "k0");
    expect((first!.value as string).startsWith("0:")).toBe(true);
  });

  it("lets go of expired entries without being asked for them", async () => {
    for (let i = 0; i < 20; i += 1) {
      await writeCached(dir, "short", `k${i}`, { value: "x".repeat(1024), expiresAt: Date.now() + 30 });
    }
    await writeCached(dir, "forever", "k", { value: "kept", expiresAt: null });
    // Wait for the state (expired entries purged), never for a fixed time.
    await expect.poll(() => memoryCacheUsage().entries, { timeout: 5000, interval: 20 }).toBe(1);
    expect((await readCached(dir, "forever", "k"))!.value).toBe("kept");
    expect(await readCached(dir, "short", "k0")).toBeUndefined();
  });

  it("keeps the entries of two results folders apart", async () => {
    const other = mkdtempSync(join(tmpdir(), "baton-cache-"));
    try {
      await writeCached(dir, "t", "k", { value: "first", expiresAt: null });
      expect(await readCached(localStorage(other), "t", "k")).toBeUndefined();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
