import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { ApiError, call, onUnauthorized, setCsrfToken } from "../api/client";
import { takeBootSession } from "../api/boot";
import type { Role, Session } from "../api/types";

/** What the route table calls a permission; a role is a set of them (core's ROLE_PERMISSIONS). */
export type Permission = "read" | "deploy" | "run" | "work" | "admin";

export interface SessionState {
  authEnabled: boolean;
  name: string;
  role: Role | null;
  /** What the role may do (core's ROLE_PERMISSIONS). */
  permissions: readonly string[];
}

/** The role table (and zod with it) loads in its own chunk: only for a server whose session names no permissions. */
async function permissionsOf(role: Role | null): Promise<readonly string[]> {
  if (role === null) return [];
  const { ROLE_PERMISSIONS } = await import("../api/role-permissions");
  return ROLE_PERMISSIONS[role];
}

interface SessionContextValue {
  session: SessionState | null;
  /** Whether the current user may do this; with authentication off everybody may. */
  can: (permission: Permission) => boolean;
  login: (apiKey: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

async function fromSession(s: Session): Promise<SessionState> {
  setCsrfToken(s.csrf_token);
  if (!s.auth_enabled) return { authEnabled: false, name: s.name, role: s.role, permissions: [] };
  // The server names the role's permissions; an older server did not (then core's table loads).
  return { authEnabled: true, name: s.name, role: s.role, permissions: s.permissions ?? (await permissionsOf(s.role)) };
}

/**
 * Restores who the user is in one request: GET /auth/session answers the cookie's session (with
 * the CSRF token writes need), or `auth_enabled: false` when the server checks no credentials
 * (`baton dev`: no login). boot.js (loaded beside the bundle) started it already, so it does
 * not wait for the bundle's parsing.
 */
async function restore(): Promise<SessionState | null> {
  let session: Session;
  try {
    session = await takeBootSession();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    // Known by another credential (a proxy's basic auth) but no session: log in for one.
    if (error instanceof ApiError && error.code === "NoSession") return null;
    // A server without the authentication routes checks nothing.
    if (error instanceof ApiError && error.status === 404) return { authEnabled: false, name: "anonymous", role: null, permissions: [] };
    throw error;
  }
  return fromSession(session);
}

export type SessionStatus = { kind: "loading" } | { kind: "ready"; session: SessionState | null } | { kind: "error"; error: Error };

export function SessionProvider({ children }: { children: (status: SessionStatus) => ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>({ kind: "loading" });

  useEffect(() => {
    restore().then(
      (session) => setStatus({ kind: "ready", session }),
      (error: unknown) => setStatus({ kind: "error", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return onUnauthorized(() => {
      setCsrfToken(null);
      setStatus((current) => (current.kind === "ready" && current.session?.authEnabled === false ? current : { kind: "ready", session: null }));
    });
  }, []);

  const login = useCallback(async (apiKey: string) => {
    const session = await call("createSession", { body: { api_key: apiKey } }, { quiet401: true });
    setStatus({ kind: "ready", session: await fromSession(session) });
  }, []);

  const logout = useCallback(async () => {
    try {
      await call("deleteSession", {}, { quiet401: true });
    } finally {
      setCsrfToken(null);
      setStatus({ kind: "ready", session: null });
    }
  }, []);

  const session = status.kind === "ready" ? status.session : null;
  const can = useCallback(
    (permission: Permission) => {
      if (!session) return false;
      if (!session.authEnabled) return true;
      return session.permissions.includes(permission);
    },
    [session],
  );

  return <SessionContext.Provider value={{ session, can, login, logout }}>{children(status)}</SessionContext.Provider>;
}
