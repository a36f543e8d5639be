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
