import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { Transport, TransportRequest, TransportResponse, TransportStreamRequest, TransportStreamResponse } from "@baton/core";
import { ApiConnectionError } from "@baton/core/runtime";
import { explainTlsError, readCaFile, warnInsecureSkipVerify } from "./tls.js";

export interface HttpTransportOptions {
  /** `http://127.0.0.1:4200/api`: every route path is appended to it. */
  apiUrl: string;
  apiKey?: string;
  /** `user:password` for a server behind HTTP basic auth. */
  authString?: string;
  /** PEM file of a private CA to trust. */
  caFile?: string;
  /** The same as text (BATON_API_SSL_CERT): a run in a container gets it this way from its worker. */
  caPem?: string;
  insecureSkipVerify?: boolean;
  timeoutMs?: number;
}

/**
 * HTTP over node's own agents with keep-alive: a flow sends many small batches, and a new
 * TCP (and TLS) connection for each would cost more than the request itself.
 */
export class HttpTransport implements Transport {
  readonly description: string;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = new URL(options.apiUrl.replace(/\/+$/, ""));
    this.description = this.base.toString();
    const isHttps = this.base.protocol === "https:";
    if (isHttps && options.insecureSkipVerify) warnInsecureSkipVerify(this.description);
    this.agent = isHttps
      ? new https.Agent({
          keepAlive: true,
          // The private CA is trusted besides the public ones: the same setting then works for a
          // server behind a public certificate too (node's `ca` alone would replace them).
          ...(options.caFile || options.caPem ? { ca: [...rootCertificates, ...(options.caFile ? [readCaFile(options.caFile)] : []), ...(options.caPem ? [options.caPem] : [])] } : {}),
          rejectUnauthorized: !options.insecureSkipVerify,
        })
      : new http.Agent({ keepAlive: true });
    this.headers = { accept: "application/json", "user-agent": "baton-client" };
    if (options.apiKey) this.headers.authorization = `Bearer ${options.apiKey}`;
    else if (options.authString) this.headers.authorization = `Basic ${Buffer.from(options.authString).toString("base64")}`;
  }

  /** The API key or run token requests carry (not basic auth), for a run token's renewal. */
  get apiKey(): string | undefined {
    return this.headers.authorization?.startsWith("Bearer ") ? this.headers.authorization.slice(7) : undefined;
  }

  /** Send `key` from the next request on: a run swaps in its renewed run token (see run-token-renewal.ts). */
  useApiKey(key: string): void {
    this.headers.authorization = `Bearer ${key}`;
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    const url = new URL(this.base.pathname.replace(/\/$/, "") + req.path, this.base);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) url.searchParams.set(k, v.join(","));
      else url.searchParams.set(k, String(v));
    }
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = { ...this.headers };
    if (payload) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(payload.length);
    }
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const request = lib.request(
        url,
        { method: req.method, headers, agent: this.agent, timeout: this.options.timeoutMs ?? 60_000, signal: req.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = null;
            if (text.length > 0) {
              try {
                body = JSON.parse(text);
              } catch {
                body = { code: "InvalidResponse", message: `the server at ${this.description} answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}` };
              }
            }
            resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer within ${(this.options.timeoutMs ?? 60_000) / 1000}s`)));
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (error.name === "AbortError") return reject(error);
        const tls = url.protocol === "https:" ? explainTlsError(error, this.description, this.options.caFile) : undefined;
        if (tls) return reject(new ApiConnectionError(tls, { cause: error }));
        reject(
          new ApiConnectionError(
            `ApiConnectionError: cannot reach the Baton API at ${this.description} (${error.code ?? error.message}); ` +
              `start it with baton server start, or point BATON_API_URL at a running server`,
            { cause: error },
          ),
        );
      });
      if (payload) request.write(payload);
      request.end();
    });
  }

  /**
   * A raw body streamed out as it is produced (chunked), and the answer's bytes streamed in. A
   * server that refuses the body halfway (413) answers and closes: the answer counts, and the
   * error writing the rest does not.
   */
  stream(req: TransportStreamRequest): Promise<TransportStreamResponse> {
    const url = new URL(this.base.pathname.replace(/\/$/, "") + req.path, this.base);
    const headers: Record<string, string> = { ...this.headers, accept: "application/octet-stream, application/json" };
    if (req.body) headers["content-type"] = "application/octet-stream";
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = lib.request(url, { method: req.method, headers, agent: this.agent, timeout: this.options.timeoutMs ?? 60_000, signal: req.signal }, (res) => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      request.on("timeout", () => request.destroy(new Error(`no answer within ${(this.options.timeoutMs ?? 60_000) / 1000}s`)));
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (answered) return;
        if (error.name === "AbortError") return reject(error);
        reject(new ApiConnectionError(`ApiConnectionError: sending to the Baton API at ${this.description} failed (${error.code ?? error.message})`, { cause: error }));
      });
      if (!req.body) request.end();
      else pipeline(Readable.from(req.body, { objectMode: false }), request).catch((error: unknown) => answered || request.destroy(error as Error));
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
