import { vi } from "vitest";
import type { Session } from "../api/types";

/**
 * The network boundary of a component test: a fetch that answers `/api` requests from a table of
 * recorded API bodies, and keeps every request so a test can check what the UI sent. The real
 * server is the browser suite's business (test/e2e/ui-browser.test.ts).
 */
export interface SentRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

type Answer = { status?: number; body: unknown } | ((request: SentRequest) => { status?: number; body: unknown });

export function fakeApi(routes: Record<string, Answer>) {
  const sent: SentRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://127.0.0.1");
    const method = (init.method ?? "GET").toUpperCase();
    const path = url.pathname.replace(/^\/api/, "");
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const request: SentRequest = { method, path, query: url.searchParams, body, headers: { ...(init.headers as Record<string, string> | undefined) } };
    sent.push(request);
    const route = routes[`${method} ${path}`];
    const answer = typeof route === "function" ? route(request) : route;
    if (!answer) return json(404, { code: "NotFound", message: `no fake route for ${method} ${path}` });
    return json(answer.status ?? 200, answer.body);
  });
  vi.stubGlobal("fetch", fetch);
  return { sent, fetch };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** GET /auth/session for an admin logged in with authentication on: every control shows. */
export const ADMIN_SESSION: Session = {
  kind: "session",
  name: "admin",
  role: "admin",
  flow_run_id: null,
  auth_enabled: true,
  csrf_token: "csrf-1",
  expires: "2026-12-07T22:00:00.000Z",
  permissions: ["read", "deploy", "run", "work", "admin"],
};

/** GET /auth/session for a viewer: reads everything, changes nothing (no action buttons). */
export const VIEWER_SESSION: Session = { ...ADMIN_SESSION, name: "viewer", role: "viewer", permissions: ["read"] };
