import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneOld, readRecord, recordKey, writeRecord } from "./compiled-store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "baton-compiled-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the compiled records", () => {
  it("are read back as written, per kind, and a damaged one reads as missing", () => {
    const key = recordKey("commonjs", "export const a = 1;", undefined);
    writeRecord(dir, "commonjs", key, { code: "exports.a = 1;", deps: ["./b.ts"] });
    expect(readRecord(dir, "commonjs", key)).toEqual({ code: "exports.a = 1;", deps: ["./b.ts"] });
    expect(readRecord(dir, "esm", key)).toBeUndefined();
    writeFileSync(join(dir, "commonjs", `${key}.json`), "{ not json");
    expect(readRecord(dir, "commonjs", key)).toBeUndefined();
  });

  it("have keys that change with the source, the tsconfig and the extra part", () => {
    const base = recordKey("esm", "a", "{}", "/p/a.ts");
    expect(new Set([base, recordKey("esm", "b", "{}", "/p/a.ts"), recordKey("esm", "a", "{ }", "/p/a.ts"), recordKey("esm", "a", "{}", "/q/a.ts"), recordKey("commonjs", "a", "{}", "/p/a.ts")]).size).toBe(5);
  });

  it("older than a week are pruned, with graph folders, and nothing else", () => {
    const old = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
    const graph = join(dir, "a".repeat(64));
    mkdirSync(graph);
    writeFileSync(join(graph, "x.mjs"), "");
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "old.json"), "{}");
    writeFileSync(join(dir, "new.json"), "{}");
    for (const path of [graph, join(dir, "other"), join(dir, "old.json")]) utimesSync(path, old, old);
    pruneOld(dir);
    expect([existsSync(graph), existsSync(join(dir, "other")), existsSync(join(dir, "old.json")), existsSync(join(dir, "new.json"))]).toEqual([false, true, false, true]);
  });
});
