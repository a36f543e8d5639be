import { fromBase64url, readUIntBE, toHex } from "../bytes.js";

/** API keys are `bat_` + 43 base64url characters (256 bits); run tokens are `batr_` + the same. */
export const API_KEY_PREFIX = "bat_";
export const RUN_TOKEN_PREFIX = "batr_";

/**
 * What a run token names, read WITHOUT checking its signature: only a client's hint of which run
 * its own token is for and when to renew it (the server checks the MAC and the claim). The layout
 * is the server's token.ts: base64url(version 2 | 16-byte run UUID | 16-byte claim UUID | 6-byte
 * expiry in Unix seconds | 32-byte MAC); version 1 had no claim.
 */
export function readRunTokenClaims(token: string): { flowRunId: string; expires: Date } | undefined {
  if (!token.startsWith(RUN_TOKEN_PREFIX)) return undefined;
  const body = token.slice(RUN_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const bytes = fromBase64url(body);
  const version = bytes.length > 0 ? bytes[0]! : 0;
  const payload = version === 2 ? 1 + 16 + 16 + 6 : version === 1 ? 1 + 16 + 6 : 0;
  if (payload === 0 || bytes.length !== payload + 32) return undefined;
  const hex = toHex(bytes.subarray(1, 17));
  return {
    flowRunId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    expires: new Date(readUIntBE(bytes, payload - 6, 6) * 1000),
  };
}
