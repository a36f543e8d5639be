import { expect, test } from "vitest";
import { pemProblem, unreadableReason } from "./pem.js";

test("a PEM problem names what the file lacks; a file with the block has none", () => {
  expect(pemProblem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "certificate")).toBeUndefined();
  expect(pemProblem("-----BEGIN EC PRIVATE KEY-----\n", "private key")).toBeUndefined();
  expect(pemProblem("-----BEGIN PRIVATE KEY-----\n", "certificate")).toBe('is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" line)');
  expect(pemProblem("ssh-ed25519 AAAA", "private key")).toBe('is not a PEM private key (no "-----BEGIN PRIVATE KEY-----" line)');
});

test("an unreadable file says why in words, from its errno code", () => {
  expect(unreadableReason({ code: "ENOENT" })).toBe("does not exist");
  expect(unreadableReason({ code: "EACCES" })).toBe("cannot be read (permission denied)");
  expect(unreadableReason({ code: "EISDIR" })).toBe("is a folder");
  expect(unreadableReason({ code: "EIO" })).toBe("cannot be read (EIO)");
});
