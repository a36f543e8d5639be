import type { SecretMasker, Transport, TransportRequest, TransportResponse, TransportStreamRequest, TransportStreamResponse } from "@baton/core";
import { swappableCredential } from "../client/run-token-renewal.js";

const SECRET_VALUE_PATH = /^\/secrets\/[^/]+\/value$/;

/**
 * Masks secret values in everything a run sends to the server: log lines, state messages, the
 * error recorded with a failed state. The masker fills as pull steps resolve secrets, so a
 * request made later is masked with every value known by then.
 */
export class MaskingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly masker: SecretMasker,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  /** The wrapped transport's credential: a run token renewed through this client is swapped there (run-token-renewal.ts). */
  get apiKey(): string | undefined {
    return swappableCredential(this.inner)?.apiKey;
  }

  useApiKey(key: string): void {
    swappableCredential(this.inner)?.useApiKey(key);
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const sent = request.body === undefined || this.masker.size === 0 ? request : { ...request, body: this.masker.maskDeep(request.body) };
    const response = await this.inner.request(sent);
    // A secret value read through this client (GET /secrets/:name/value) is masked from then on.
    if (request.method === "GET" && SECRET_VALUE_PATH.test(request.path) && response.status === 200) {
      const value = (response.body as { value?: unknown } | null)?.value;
      if (typeof value === "string") this.masker.add(value);
    }
    return response;
  }

  /** Raw bytes (stored results) are the flows' data, not messages: passed through as they are. */
  get stream(): ((request: TransportStreamRequest) => Promise<TransportStreamResponse>) | undefined {
    return this.inner.stream?.bind(this.inner);
  }

  /** The inner transport belongs to whoever made it. */
  async close(): Promise<void> {}
}
