import type { SecretMasker, Transport, TransportRequest, TransportResponse } from "@baton/core";

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

  request(request: TransportRequest): Promise<TransportResponse> {
    if (request.body === undefined || this.masker.size === 0) return this.inner.request(request);
    return this.inner.request({ ...request, body: this.masker.maskDeep(request.body) });
  }

  /** The inner transport belongs to whoever made it. */
  async close(): Promise<void> {}
}
