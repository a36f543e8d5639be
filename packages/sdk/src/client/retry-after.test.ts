import type { Transport, TransportRequest, TransportResponse } from "@baton/core";
import { describe, expect, it } from "vitest";
import { BatonClient } from "./client.js";
import { retryAfterSeconds } from "./retry-after.js";

/** A transport that answers from a script, recording what was sent. */
function scripted(answers: TransportResponse[]): Transport & { sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  return {
    sent,
    description: "scripted",
    request: async (request) => {
      sent.push(request);
      return answers.shift() ?? { status: 500, body: { code: "Empty", message: "no more answers" } };
    },
    close: async () => undefined,
  };
}

const tooMany = (retryAfter?: string): TransportResponse => ({ status: 429, body: { code: "TooManyAttempts", message: "slow down" }, headers: retryAfter === undefined ? {} : { "retry-after": retryAfter } });

describe("the client on 429", () => {
  it("reads Retry-After as seconds or an HTTP date, and waits a second when it says nothing usable", () => {
    expect(retryAfterSeconds(tooMany("3"))).toBe(3);
    expect(retryAfterSeconds(tooMany(new Date(Date.now() + 5000).toUTCString()), Date.now())).toBeGreaterThan(3);
    expect(retryAfterSeconds(tooMany("soon"))).toBe(1);
    expect(retryAfterSeconds(tooMany())).toBe(1);
  });

  it("sends the same request again after waiting, writes included, and returns the answer that is not a 429", async () => {
    const transport = scripted([tooMany("0.05"), tooMany("0.05"), { status: 201, body: { id: "x" } }]);
    const client = new BatonClient({ transport });
    await expect(client.createFlowRun({ flow_name: "f" })).resolves.toEqual({ id: "x" });
    expect(transport.sent).toHaveLength(3);
    expect(new Set(transport.sent.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it("gives up with the 429 as an error once its waiting budget is spent", async () => {
    const transport = scripted([tooMany("0.05"), tooMany("0.05"), tooMany("0.05"), tooMany("0.05")]);
    const client = new BatonClient({ transport, retryAfter: { maxWaitSeconds: 0.12 } });
    await expect(client.listFlows()).rejects.toMatchObject({ status: 429, code: "TooManyAttempts" });
    expect(transport.sent.length).toBeLessThan(4);
  });

  it("stops waiting when the call is aborted", async () => {
    const transport = scripted([tooMany("30")]);
    const client = new BatonClient({ transport });
    const abort = new AbortController();
    const call = client.call("listFlows", { query: {} }, abort.signal);
    abort.abort(new Error("shutting down"));
    await expect(call).rejects.toThrow("shutting down");
  });
});
