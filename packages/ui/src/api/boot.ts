import { call, networkError, readResponse } from "./client";
import type { Session } from "./types";

declare global {
  interface Window {
    /** GET /api/auth/session, started by public/boot.js before the bundle ran. */
    __batonSession?: Promise<Response>;
  }
}

/**
 * The session answer boot.js asked for, once (a later restore, after logging out, asks again);
 * without boot.js (the Vite dev server, a blocked script) the request starts now.
 */
export async function takeBootSession(): Promise<Session> {
  const early = typeof window === "undefined" ? undefined : window.__batonSession;
  if (!early) return call("readSession", {}, { quiet401: true });
  window.__batonSession = undefined;
  let response: Response;
  try {
    response = await early;
  } catch (error) {
    throw networkError(error);
  }
  return readResponse<Session>(response, { quiet401: true });
}
