import type { Role } from "@baton/core";

/** What the API answered: status, the body as text, and parsed when it is JSON. */
export interface ApiAnswer<T = any> {
  status: number;
  text: string;
  body: T;
}

export interface CallOptions {
  /** More headers (they win over the credential's). */
  headers?: Record<string, string>;
  /** A body sent as it is (not JSON-encoded): malformed input. */
  raw?: string;
}

/**
 * One request to a Baton API over real HTTP, as a client would send it: `apiUrl` is what
 * BATON_API_URL holds (`http://127.0.0.1:PORT/api`), `credential` an API key or a run token
 * (sent as a Bearer token) or undefined for none, `body` sent as JSON.
 */
export async function callApi<T = any>(apiUrl: string, credential: string | undefined, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiAnswer<T>> {
  const payload = options.raw ?? (body !== undefined ? JSON.stringify(body) : undefined);
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...(payload !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, text, body: parsed as T };
}

/** A caller bound to a server and one credential. */
export interface ApiCaller {
  credential: string | undefined;
  call<T = any>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<ApiAnswer<T>>;
  /** call, and fail with the answer unless it is a success (2xx); resolves with the body. */
  ok<T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

export function callerWith(apiUrl: string, credential: string | undefined): ApiCaller {
  const call: ApiCaller["call"] = (method, path, body, options) => callApi(apiUrl, credential, method, path, body, options);
  return {
    credential,
    call,
    async ok(method, path, body) {
      const answer = await call(method, path, body);
      if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
      return answer.body;
    },
  };
}

/** A new API key of `role`, made by the admin through the API, and a caller using it. */
export async function clientAs(apiUrl: string, adminKey: string, role: Role, name = `${role}-${Math.random().toString(36).slice(2, 8)}`): Promise<ApiCaller> {
  const created = await callerWith(apiUrl, adminKey).ok<{ key: string }>("POST", "/api_keys", { name, role });
  return callerWith(apiUrl, created.key);
}
