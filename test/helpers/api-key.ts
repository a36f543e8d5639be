import { randomBytes } from "node:crypto";

/**
 * An admin key for a test server: given to it as BATON_SERVER_BOOTSTRAP_API_KEY (or
 * startServer's auth.bootstrapApiKey) and to its clients and workers as BATON_API_KEY.
 */
export function testApiKey(): string {
  return `bat_${randomBytes(32).toString("base64url")}`;
}
