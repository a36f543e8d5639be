/**
 * The one way the UI talks to the server: same-origin `/api`, the session cookie travels by
 * itself, and every write carries the CSRF token the session gave us.
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

export const api = {
  get: <T>(path: string, query?: Query) => request<T>("GET", withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>("PUT", path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>("PATCH", path, body ?? {}),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

export const enc = encodeURIComponent;
