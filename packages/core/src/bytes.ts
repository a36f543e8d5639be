// Byte helpers on Web APIs (TextEncoder, btoa/atob, globalThis.crypto) rather than Node's Buffer:
// core runs in the browser (the UI) as well as in Node 20+, where all of these are globals.

const encoder = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes base64url text (padding optional), as Buffer.from(text, "base64url") does for well-formed input. */
export function fromBase64url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  // A lone trailing character carries fewer than 8 bits: Buffer drops it, atob refuses it.
  const usable = base64.length % 4 === 1 ? base64.slice(0, -1) : padded;
  const binary = atob(usable);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Big-endian unsigned integer of `length` bytes (up to 6) at `offset`. */
export function readUIntBE(bytes: Uint8Array, offset: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[offset + i]!;
  return value;
}

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}
