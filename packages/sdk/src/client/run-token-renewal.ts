import { readRunTokenClaims } from "@baton/core/runtime";
import type { Transport } from "@baton/core";
import type { BatonClient } from "./client.js";

/** A transport whose bearer credential can be swapped (HttpTransport, and wrappers that forward to one). */
export interface SwappableCredential {
  readonly apiKey: string | undefined;
  useApiKey(key: string): void;
}

export function swappableCredential(transport: Transport): SwappableCredential | undefined {
  return typeof (transport as Partial<SwappableCredential>).useApiKey === "function" ? (transport as unknown as SwappableCredential) : undefined;
}

/** When this client first saw each run token: "half its life" is measured from there. */
const firstSeen = new Map<string, number>();
const inFlight = new WeakMap<BatonClient, Promise<boolean>>();

/**
 * A run's credential is a run token (`batr_`) that expires (24 h by default). Past half of its life
 * as this process saw it, ask the server for the next one with the token itself (createRunToken on
 * the token's own run: the one renewal a run token may do) and send that from then on; BATON_API_KEY
 * follows, so clients made later in this process and processes the flow starts get it too.
 * Resolves true when it renewed; false when there was nothing to do (an API key, no token, not due).
 * The flow run's heartbeat calls it, so a run renews as long as it is alive and not final.
 */
export function renewRunTokenIfDue(client: BatonClient, now: () => number = Date.now): Promise<boolean> {
  const running = inFlight.get(client);
  if (running) return running;
  const transport = swappableCredential(client.transport);
  const token = transport?.apiKey;
  const claims = token ? readRunTokenClaims(token) : undefined;
  if (!transport || !token || !claims) return Promise.resolve(false);
  const seen = firstSeen.get(token) ?? now();
  firstSeen.set(token, seen);
  const expires = claims.expires.getTime();
  if (now() < seen + (expires - seen) / 2) return Promise.resolve(false);
  const renewal = client
    .call("createRunToken", { params: { id: claims.flowRunId } })
    .then(({ token: next }) => {
      transport.useApiKey(next);
      if (process.env.BATON_API_KEY === token) process.env.BATON_API_KEY = next;
      firstSeen.delete(token);
      firstSeen.set(next, now());
      return true;
    })
    .finally(() => inFlight.delete(client));
  inFlight.set(client, renewal);
  return renewal;
}
