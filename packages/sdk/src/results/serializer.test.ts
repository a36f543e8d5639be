import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { jsonSerializer, v8Serializer, type ResultSerializer } from "./serializer.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeEntry, encodeEntry, readEntry, writeEntry } from "./store.js";
import { localStorage } from "./storage/local.js";

const roundTrip = (value: unknown, serializer?: ResultSerializer) => decodeEntry(Buffer.concat(encodeEntry({ value, expiresAt: null }, serializer)), Date.now(), serializer)!.value;

describe("result serializers", () => {
  it("JSON by default, keeping what plain JSON loses", () => {
    const value = {
      at: new Date("2026-01-01T00:00:00Z"),
      big: 12345678901234567890n,
      map: new Map<unknown, unknown>([["a", 1], [2, new Set(["x"])]]),
      bytes: Buffer.from("hi"),
      floats: new Float64Array([1.5, Number.NaN]),
      nothing: undefined,
      inf: -Infinity,
      tagged: { $baton: "Date", v: "not a date" },
      list: [1, "two", null],
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(back.at).toBeInstanceOf(Date);
    expect(back.floats).toBeInstanceOf(Float64Array);
    expect(Buffer.isBuffer(back.bytes)).toBe(true);
    // Readable as JSON by anything: the header line, then JSON.
    const [header, payload] = encodeEntry({ value: { n: 1 }, expiresAt: null });
    expect(header!.toString()).toBe('BATON-RESULT 1 {"serializer":"json","expiresAt":null}\n');
    expect(JSON.parse(payload!.toString())).toEqual({ n: 1 });
  });

  it("v8 and a serializer of your own, named in the header; an unknown one is said by name", () => {
    expect(roundTrip(new Map([[1, 2]]), v8Serializer)).toEqual(new Map([[1, 2]]));
    const upper: ResultSerializer = { name: "upper", serialize: (v) => String(v).toUpperCase(), deserialize: (b) => b.toString().toLowerCase() };
    expect(roundTrip("hello", upper)).toBe("hello");
    const bytes = Buffer.concat(encodeEntry({ value: "hello", expiresAt: null }, upper));
    expect(() => decodeEntry(bytes)).toThrow('this result was written with the serializer "upper"; pass it as resultSerializer');
  });

  it("reads entries written before the header (v8 of the whole entry), and drops expired ones", () => {
    expect(decodeEntry(serialize({ value: new Date(0), expiresAt: null }))!.value).toEqual(new Date(0));
    expect(decodeEntry(Buffer.concat(encodeEntry({ value: 1, expiresAt: Date.now() - 1 })))).toBeUndefined();
    expect(decodeEntry(serialize({ value: 1, expiresAt: Date.now() - 1 }))).toBeUndefined();
  });

  it("json in pieces: the same bytes as serialize, each piece small, whatever one string or buffer weighs", () => {
    const long = "é".repeat(300_000) + "😀".repeat(200_000) + '"\\\n' + "x".repeat(700_001);
    const values: unknown[] = [
      { at: new Date(0), big: 1n, map: new Map<unknown, unknown>([[{ k: 1 }, new Set([1, undefined])]]), bytes: Buffer.alloc(1_000_003, 7), f: new Float32Array([1, 2]), nothing: undefined, fn: () => 1, inf: Infinity, tagged: { $baton: "x" } },
      [1, () => 2, Symbol("s"), null, undefined, -0, "s"],
      long,
      { [long.slice(0, 10)]: [long, { deeper: [long] }] },
      "plain",
      42,
      null,
    ];
    for (const value of values) {
      const pieces = [...jsonSerializer.serializeChunks!(value)] as Buffer[];
      expect(Buffer.concat(pieces).toString()).toBe(jsonSerializer.serialize(value));
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(3 * 256 * 1024 + 64);
    }
  });

  it("an entry written and read as a stream round-trips, a custom serializer without pieces too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baton-stream-"));
    try {
      const storage = localStorage(dir);
      const value = { rows: Array.from({ length: 50 }, (_, i) => ({ i, text: `${i}`.repeat(30_000), at: new Date(i) })) };
      const size = await writeEntry(storage, "a/b", { value, expiresAt: null });
      expect(readFileSync(join(dir, "a/b.bin")).length).toBe(size);
      expect(await readEntry(storage, "a/b")).toEqual({ value, expiresAt: null, size });
      const upper: ResultSerializer = { name: "upper", serialize: (v) => String(v).toUpperCase(), deserialize: (b) => b.toString().toLowerCase() };
      await writeEntry(storage, "c", { value: "hello", expiresAt: null }, upper);
      expect((await readEntry(storage, "c", upper))!.value).toBe("hello");
      expect(await readEntry(storage, "nothing")).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
