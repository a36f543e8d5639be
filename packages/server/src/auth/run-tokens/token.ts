import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { RUN_TOKEN_PREFIX } from "@baton/core";

/**
 * A run token is stateless: `batr_` + base64url(version | flow run id | expiry | HMAC-SHA256).
 * Nothing is stored, so there is nothing to leak from the database; the server checks the MAC
 * with a key derived from its secrets key, then the run's state (see verify.ts).
 */
const VERSION = 1;
const ID_BYTES = 16;
const EXPIRY_BYTES = 6;
const MAC_BYTES = 32;
const PAYLOAD_BYTES = 1 + ID_BYTES + EXPIRY_BYTES;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;

/** The MAC key: HKDF of the server's secrets key, so one key file serves both and neither is reused raw. */
export function runTokenSigningKey(secretKey: Buffer): Buffer {
  let derived = derivedKeys.get(secretKey);
  if (!derived) derivedKeys.set(secretKey, (derived = Buffer.from(hkdfSync("sha256", secretKey, "baton-run-token/v1", "run token signing key", 32))));
  return derived;
}
// Every request of a run verifies its token: derive once per secrets key.
const derivedKeys = new WeakMap<Buffer, Buffer>();

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`run tokens name a flow run by UUID, got "${id}"`);
  return Buffer.from(hex, "hex");
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(signingKey: Buffer, payload: Buffer): Buffer {
  return createHmac("sha256", signingKey).update(payload).digest();
}

export function encodeRunToken(signingKey: Buffer, flowRunId: string, expires: Date): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidBytes(flowRunId).copy(payload, 1);
  payload.writeUIntBE(Math.floor(expires.getTime() / 1000), 1 + ID_BYTES, EXPIRY_BYTES);
  return RUN_TOKEN_PREFIX + Buffer.concat([payload, mac(signingKey, payload)]).toString("base64url");
}

/** The run and expiry a token names, when its MAC is this server's; `undefined` for anything else. */
export function decodeRunToken(signingKey: Buffer, token: string): { flowRunId: string; expires: Date } | undefined {
  if (!token.startsWith(RUN_TOKEN_PREFIX)) return undefined;
  const body = token.slice(RUN_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const bytes = Buffer.from(body, "base64url");
  if (bytes.length !== TOKEN_BYTES || bytes.readUInt8(0) !== VERSION) return undefined;
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(signingKey, payload))) return undefined;
  return {
    flowRunId: uuidText(payload.subarray(1, 1 + ID_BYTES)),
    expires: new Date(payload.readUIntBE(1 + ID_BYTES, EXPIRY_BYTES) * 1000),
  };
}
