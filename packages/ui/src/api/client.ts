import { fillPath, type RouteInput, type RouteOutput } from "@baton/core";
import { UI_ROUTES, type UiRouteName } from "./routes";

/**
 * The one way the UI talks to the server: same-origin `/api`, the session cookie travels by
 * itself, and every write carries the CSRF token the session gave us. Calls name a route of
 * @baton/core's table (`call("readFlowRun", { params: { id } })`), as the SDK's client does.
 */

export interface ApiIssue {
  path: string;
  message: string;
}

/** An error answered by the API, kept verbatim so the page can show exactly what the server said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401: the session ended, so the app shows the login page. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; issues?: unknown };
    if (typeof body.message === "string") {
      const issues = Array.isArray(body.issues)
        ? body.issues.filter((i): i is ApiIssue => typeof i === "object" && i !== null && typeof (i as ApiIssue).message === "string")
        : [];
      return new ApiError(response.status, typeof body.code === "string" ? body.code : "Error", body.message, issues);
    }
  } catch {
    // Not JSON: a proxy or a crash page; show what we got.
  }
  return new ApiError(response.status, "HttpError", `${response.status} ${response.statusText}${text ? `: ${text.slice(0, 300)}` : ""}`);
}

/** A fetch that never got an answer. */
export function networkError(error: unknown): ApiError {
  return new ApiError(0, "NetworkError", `The server did not answer (${error instanceof Error ? error.message : String(error)}). Is it running?`);
}

export async function request<T>(method: string, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-baton-csrf"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw networkError(error);
  }
  return readResponse<T>(response, options);
}

/** The body of an answer, or its ApiError (a 401 also tells the listeners, unless quiet401). */
export async function readResponse<T>(response: Response, options: { quiet401?: boolean } = {}): Promise<T> {
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !options.quiet401) for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  if (response.status === 204) return null as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * Calls one route of @baton/core's table: its path filled from `params`, `query` and `body`
 * as the route declares them, the answer typed as the route's response.
 */
export function call<N extends UiRouteName>(name: N, input: RouteInput<N> = {} as RouteInput<N>, options: { quiet401?: boolean } = {}): Promise<RouteOutput<N>> {
  const route = UI_ROUTES[name];
  const { params, query, body } = input as { params?: Record<string, unknown>; query?: Query; body?: unknown };
  const sent = body ?? (route.method === "POST" || route.method === "PUT" || route.method === "PATCH" ? {} : undefined);
  return request<RouteOutput<N>>(route.method, withQuery(fillPath(route.path, params), query), sent, options);
}

/** A path segment made safe for a link (route calls fill their own paths). */
export const enc = encodeURIComponent;
