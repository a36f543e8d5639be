import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { RUN_TOKEN_PREFIX } from "@baton/core";

/**
 * A run token is `batr_` + base64url(version | flow run id | claim id | expiry | HMAC-SHA256).
 * Nothing secret is stored: the server checks the MAC with a key derived from its secrets key,
 * then that the run's current claim is the one named (issue.ts). Version 1 (before claims) has
 * no claim id; such a token matches only a run claimed before the upgrade (LEGACY_CLAIM).
 */
const VERSION = 2;
const LEGACY_VERSION = 1;
const ID_BYTES = 16;
const EXPIRY_BYTES = 6;
const MAC_BYTES = 32;
const payloadBytes = (version: number) => 1 + ID_BYTES + (version === LEGACY_VERSION ? 0 : ID_BYTES) + EXPIRY_BYTES;

/** The claim a version-1 token stands for (see migration 0005). */
export const LEGACY_CLAIM = "legacy";
/** The claim of a run nobody claimed, with authentication off (nothing checks it then). */
export const NO_CLAIM = "00000000-0000-0000-0000-000000000000";

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
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`run tokens name a flow run and a claim by UUID, got "${id}"`);
  return Buffer.from(hex, "hex");
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(signingKey: Buffer, payload: Buffer): Buffer {
  return createHmac("sha256", signingKey).update(payload).digest();
}

export interface RunTokenClaims {
  flowRunId: string;
  claimId: string;
  expires: Date;
}

export function encodeRunToken(signingKey: Buffer, claims: RunTokenClaims): string {
  const payload = Buffer.alloc(payloadBytes(VERSION));
  payload.writeUInt8(VERSION, 0);
  uuidBytes(claims.flowRunId).copy(payload, 1);
  uuidBytes(claims.claimId).copy(payload, 1 + ID_BYTES);
  payload.writeUIntBE(Math.floor(claims.expires.getTime() / 1000), 1 + 2 * ID_BYTES, EXPIRY_BYTES);
  return RUN_TOKEN_PREFIX + Buffer.concat([payload, mac(signingKey, payload)]).toString("base64url");
}

/** The run, claim and expiry a token names, when its MAC is this server's; `undefined` for anything else. */
export function decodeRunToken(signingKey: Buffer, token: string): RunTokenClaims | undefined {
  if (!token.startsWith(RUN_TOKEN_PREFIX)) return undefined;
  const body = token.slice(RUN_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const bytes = Buffer.from(body, "base64url");
  const version = bytes.length > 0 ? bytes.readUInt8(0) : 0;
  if (version !== VERSION && version !== LEGACY_VERSION) return undefined;
  const size = payloadBytes(version);
  if (bytes.length !== size + MAC_BYTES) return undefined;
  const payload = bytes.subarray(0, size);
  if (!timingSafeEqual(bytes.subarray(size), mac(signingKey, payload))) return undefined;
  const legacy = version === LEGACY_VERSION;
  return {
    flowRunId: uuidText(payload.subarray(1, 1 + ID_BYTES)),
    claimId: legacy ? LEGACY_CLAIM : uuidText(payload.subarray(1 + ID_BYTES, 1 + 2 * ID_BYTES)),
    expires: new Date(payload.readUIntBE(size - EXPIRY_BYTES, EXPIRY_BYTES) * 1000),
  };
}

/** A version-1 token, as the previous release made them: for the upgrade test only. */
export function encodeLegacyRunToken(signingKey: Buffer, flowRunId: string, expires: Date): string {
  const payload = Buffer.alloc(payloadBytes(LEGACY_VERSION));
  payload.writeUInt8(LEGACY_VERSION, 0);
  uuidBytes(flowRunId).copy(payload, 1);
  payload.writeUIntBE(Math.floor(expires.getTime() / 1000), 1 + ID_BYTES, EXPIRY_BYTES);
  return RUN_TOKEN_PREFIX + Buffer.concat([payload, mac(signingKey, payload)]).toString("base64url");
}
