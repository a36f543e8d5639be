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

/** Bytes in and out of a route that carries them raw (a stored result's `/content`), never whole in memory. */
export interface TransportStreamRequest {
  method: "GET" | "PUT";
  path: string;
  /** The body, sent as application/octet-stream while it is produced (no length announced). */
  body?: AsyncIterable<Uint8Array>;
  signal?: AbortSignal;
}

export interface TransportStreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The answer's bytes as they arrive; read it to the end (or an error answer's JSON). */
  body: AsyncIterable<Uint8Array>;
}

export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Raw, streamed bodies; a transport without it (in-process) is used through the JSON routes instead. */
  stream?(request: TransportStreamRequest): Promise<TransportStreamResponse>;
  /** Where requests go, for messages: `http://127.0.0.1:4200/api` or `sqlite:///home/me/.baton/baton.db (in-process)`. */
  readonly description: string;
  close(): Promise<void>;
}
