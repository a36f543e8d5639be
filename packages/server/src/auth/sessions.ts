import { parseCookie } from "cookie";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { randomToken, sha256 } from "./secrets.js";

/** A UI session lasts a working day, and never longer than the key it was opened with. */
export const SESSION_SECONDS = 12 * 3600;

export interface NewSession {
  /** Goes into the cookie; the table has only its hash. */
  id: string;
  csrf_token: string;
  expires: string;
}

export async function createSession(db: Kysely<Database>, apiKey: { id: string; expires: string | null }, now: Date): Promise<NewSession> {
  const id = randomToken();
  const csrfToken = randomToken();
  let expires = now.getTime() + SESSION_SECONDS * 1000;
  if (apiKey.expires !== null) expires = Math.min(expires, Date.parse(apiKey.expires));
  const session = { id, csrf_token: csrfToken, expires: new Date(expires).toISOString() };
  // Expired sessions are swept as new ones are made: the table stays the size of the active ones.
  await db.deleteFrom("sessions").where("expires", "<=", now.toISOString()).execute();
  await db.insertInto("sessions").values({ id_hash: sha256(id), api_key_id: apiKey.id, csrf_token: csrfToken, created: now.toISOString(), expires: session.expires }).execute();
  return session;
}

export async function findSession(db: Kysely<Database>, id: string) {
  return db.selectFrom("sessions").selectAll().where("id_hash", "=", sha256(id)).executeTakeFirst();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", sha256(id)).execute();
}

/**
 * The value of one cookie in a `Cookie` header. Parsed by the `cookie` package, which never throws:
 * a value that is not valid percent-encoding is kept as sent (and then matches no session: a 401),
 * where decodeURIComponent by hand threw and answered 500.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  return parseCookie(header)[name] || undefined;
}

/** HttpOnly (scripts cannot read it), SameSite=Strict (other sites cannot send it), Secure over TLS. */
export function sessionCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, ...(secure ? ["Secure"] : [])].join("; ");
}
