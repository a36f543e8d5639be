import type { FieldIssue, RouteInput, RouteName, RouteOutput, Transport, TransportStreamResponse } from "@baton/core";
import { ApiError, fillPath, ROUTE_PATHS } from "@baton/core/runtime";
import { HttpTransport, type HttpTransportOptions } from "./http-transport.js";
import { DEFAULT_RETRY_AFTER, withRetryAfter, type RetryAfterPolicy } from "./retry-after.js";

export interface BatonClientOptions extends Partial<HttpTransportOptions> {
  /** Use this transport instead of HTTP (the in-process one, or a test's). */
  transport?: Transport;
  /** How long to wait out 429 answers (Retry-After) before giving up; default 300 s in total. */
  retryAfter?: Partial<RetryAfterPolicy>;
}

/**
 * The typed API client. Every route of the API table in `@baton/core` is one `call`;
 * the named methods below are the ones scripts use most.
 */
export class BatonClient {
  readonly transport: Transport;
  private readonly retryAfter: RetryAfterPolicy;

  constructor(options: BatonClientOptions) {
    this.retryAfter = { ...DEFAULT_RETRY_AFTER, ...options.retryAfter };
    if (options.transport) this.transport = options.transport;
    else if (options.apiUrl) this.transport = new HttpTransport(options as HttpTransportOptions);
    else throw new TypeError("BatonClient needs apiUrl (http://host:4200/api) or a transport");
  }

  /** Where requests go, for messages. */
  get target(): string {
    return this.transport.description;
  }

  async call<N extends RouteName>(name: N, input: RouteInput<N> = {} as RouteInput<N>, signal?: AbortSignal): Promise<RouteOutput<N>> {
    const [method, path] = ROUTE_PATHS[name];
    const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, never>; body?: unknown };
    const request = {
      method,
      path: fillPath(path, params),
      ...(query ? { query } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(signal ? { signal } : {}),
    };
    // 429: the request was not carried out; wait what the server asks and send it again.
    const response = await withRetryAfter(() => this.transport.request(request), this.retryAfter, signal);
    if (response.status >= 400) {
      const b = (response.body ?? {}) as { code?: string; message?: string; issues?: FieldIssue[] };
      throw new ApiError(response.status, b.code ?? "ApiError", b.message ?? `${method} ${path} answered ${response.status}`, b.issues ?? []);
    }
    return response.body as RouteOutput<N>;
  }

  /**
   * A route whose body or answer is raw bytes (a stored result's `/content`), streamed both ways.
   * Undefined when the transport cannot stream (in-process): use the route's JSON form then.
   * An error answer throws ApiError, as `call` does.
   */
  async stream(name: "readResultContent" | "writeResultContent", params: Record<string, string>, body?: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<TransportStreamResponse | undefined> {
    if (!this.transport.stream) return undefined;
    const [method, path] = ROUTE_PATHS[name];
    const response = await this.transport.stream({ method, path: fillPath(path, params), ...(body ? { body } : {}), ...(signal ? { signal } : {}) });
    if (response.status < 400) return response;
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    let b: { code?: string; message?: string; issues?: FieldIssue[] } = {};
    try {
      b = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      // Not JSON: the status says what there is to say.
    }
    throw new ApiError(response.status, b.code ?? "ApiError", b.message ?? `${method} ${path} answered ${response.status}`, b.issues ?? []);
  }

  version() {
    return this.call("version");
  }
  health() {
    return this.call("health");
  }
  createFlowRun(body: RouteInput<"createFlowRun">["body"]) {
    return this.call("createFlowRun", { body });
  }
  readFlowRun(id: string) {
    return this.call("readFlowRun", { params: { id } });
  }
  listFlowRuns(query: RouteInput<"listFlowRuns">["query"] = {}) {
    return this.call("listFlowRuns", { query });
  }
  deleteFlowRun(id: string) {
    return this.call("deleteFlowRun", { params: { id } });
  }
  /** `claimId`: the claim a worker sends it under; the server refuses it (409 StaleClaim) once the run has another. */
  setFlowRunState(id: string, state: RouteInput<"setFlowRunState">["body"]["state"], force = false, claimId?: string) {
    return this.call("setFlowRunState", { params: { id }, body: { state, force, ...(claimId ? { claim_id: claimId } : {}) } });
  }
  flowRunStates(id: string, query: RouteInput<"flowRunStates">["query"] = {}) {
    return this.call("flowRunStates", { params: { id }, query });
  }
  heartbeatFlowRun(id: string) {
    return this.call("heartbeatFlowRun", { params: { id } });
  }
  listTaskRuns(query: RouteInput<"listTaskRuns">["query"] = {}) {
    return this.call("listTaskRuns", { query });
  }
  readTaskRun(id: string) {
    return this.call("readTaskRun", { params: { id } });
  }
  taskRunStates(id: string) {
    return this.call("taskRunStates", { params: { id } });
  }
  report(body: RouteInput<"reportRun">["body"]) {
    return this.call("reportRun", { body });
  }
  writeLogs(body: RouteInput<"createLogs">["body"]) {
    return this.call("createLogs", { body });
  }
  listLogs(query: RouteInput<"listLogs">["query"]) {
    return this.call("listLogs", { query });
  }
  listFlows(query: RouteInput<"listFlows">["query"] = {}) {
    return this.call("listFlows", { query });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
