import { describe, expect, it } from "vitest";
import { fromBase64url, readUIntBE, toBase64, toHex, utf8Bytes } from "./bytes.js";
import { uuidv7 } from "./ids.js";

// Core's byte helpers replace Node's Buffer so core runs in a browser: they must agree with Buffer.
describe("byte helpers agree with Node's Buffer", () => {
  const samples = ["", "a", "ab", "abc", "päss wörd ✓", "s3cr3t/+==?", "\u0000\u00ff"];
  it.each(samples)("encodes %j as Buffer does", (text) => {
    const bytes = utf8Bytes(text);
    expect(toHex(bytes)).toBe(Buffer.from(text, "utf8").toString("hex"));
    expect(toBase64(bytes)).toBe(Buffer.from(text, "utf8").toString("base64"));
    const url = Buffer.from(text, "utf8").toString("base64url");
    expect(toHex(fromBase64url(url))).toBe(Buffer.from(url, "base64url").toString("hex"));
  });

  it("decodes a base64url text whose last character carries no whole byte as Buffer does", () => {
    for (const text of ["QUJD", "QUJDR", "QUJDRA", "QUJDRA_-x"]) {
      expect(toHex(fromBase64url(text))).toBe(Buffer.from(text, "base64url").toString("hex"));
    }
  });

  it("reads 48-bit big-endian integers", () => {
    const buffer = Buffer.alloc(8);
    buffer.writeUIntBE(0xfedcba987654, 1, 6);
    expect(readUIntBE(new Uint8Array(buffer), 1, 6)).toBe(0xfedcba987654);
  });

  it("writes the millisecond time into a UUIDv7 as Buffer.writeUIntBE does", () => {
    const now = 0x0190_1234_5678;
    const id = uuidv7(now + 10_000_000);
    const buffer = Buffer.alloc(6);
    buffer.writeUIntBE(now + 10_000_000, 0, 6);
    expect(id.replace(/-/g, "").slice(0, 12)).toBe(buffer.toString("hex"));
    expect(id[14]).toBe("7");
  });
});
