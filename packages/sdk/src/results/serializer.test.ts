import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { jsonSerializer, v8Serializer, type ResultSerializer } from "./serializer.js";
import { decodeEntry, encodeEntry } from "./store.js";

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
});
