/**
 * How the client reaches the API: over HTTP, or in-process against a local database
 * (the "ephemeral" mode used when no BATON_API_URL is set). Both speak the same routes,
 * so a run recorded locally is the same data a server shows later.
 */
export interface TransportRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path under `/api`, with path parameters filled: `/flow_runs/0190...`. */
  path: string;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Abort the request (used for long polls and shutdown). */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** Parsed JSON body, or null for an empty body. */
  body: unknown;
  headers?: Record<string, string | string[] | undefined>;
}

export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Where requests go, for messages: `http://127.0.0.1:4200/api` or `sqlite:///home/me/.baton/baton.db (in-process)`. */
  readonly description: string;
  close(): Promise<void>;
}
