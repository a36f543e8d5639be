import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 random bits as base64url (43 characters): what API keys, session ids and CSRF tokens are made of. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * SHA-256, hex. Enough for credentials of 256 random bits: nobody brute-forces a 2^256 space,
 * so a slow password hash would only cost every request time for nothing.
 */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Equal strings, compared in time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  // Hash both first: timingSafeEqual needs equal lengths, and comparing digests hides the length too.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}
