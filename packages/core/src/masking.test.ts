import { expect, test } from "vitest";
import { SecretMasker } from "./masking.js";

test("secret values are masked as written, inside JSON, line by line, and deep in objects", () => {
  const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\n-----END OPENSSH PRIVATE KEY-----";
  const m = new SecretMasker().add("glpat-abc123", 'with"quote', key, "ab");
  expect(m.mask("token=glpat-abc123 done")).toBe("token=**** done");
  expect(m.mask(JSON.stringify({ v: 'with"quote' }))).toBe('{"v":"****"}');
  expect(m.mask("line: b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE")).toBe("line: ****");
  expect(m.mask("ab stays: too short to mask")).toBe("ab stays: too short to mask");
  expect(m.maskDeep({ a: ["x glpat-abc123"], b: 1 })).toEqual({ a: ["x ****"], b: 1 });
});

test("encoded forms are masked too: base64 at any offset (standard and URL-safe), URL-encoded, hex, reversed", () => {
  const secret = "s3cr3t value/with+chars&more";
  const m = new SecretMasker().add(secret);
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  // `echo $SECRET | base64`, and the secret inside a longer text at each byte alignment.
  for (const wrapped of [`${secret}\n`, `x${secret}`, `xy${secret}trailing`, `prefix: ${secret}`]) {
    const masked = m.mask(`out: ${b64(wrapped)}`);
    expect(masked, wrapped).toContain("****");
    // Of the secret's own ~37 encoded characters, at most the two groups that mix in other bytes are left.
    expect(masked.length, wrapped).toBeLessThan(`out: ${b64(wrapped)}`.length - 24);
  }
  expect(m.mask(Buffer.from(`x${secret}`).toString("base64url"))).toContain("****");
  expect(m.mask(`q=${encodeURIComponent(secret)}`)).toBe("q=****");
  expect(m.mask(`form: ${encodeURIComponent(secret).replace(/%20/g, "+")}`)).toBe("form: ****");
  expect(m.mask(Buffer.from(secret).toString("hex"))).toBe("****");
  expect(m.mask(Buffer.from(secret).toString("hex").toUpperCase())).toBe("****");
  expect(m.mask([...secret].reverse().join(""))).toBe("****");
  // An encoded form shorter than 8 characters would match ordinary text: left alone.
  expect(new SecretMasker().add("abcd").mask("YWJjZA== and abcd")).toBe("YWJjZA== and ****");
});
