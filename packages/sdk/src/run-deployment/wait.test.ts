import type { Transport, TransportRequest, TransportResponse } from "@baton/core";
import { describe, expect, it } from "vitest";
import { BatonClient } from "../client/client.js";
import { waitForFinalState } from "./wait.js";

const run = (state_type: string) => ({ id: "0190-run", state_type, state: { type: state_type, name: state_type } });

/** A transport answering each path from its own script, recording what was sent. */
function scripted(answers: Record<string, TransportResponse[]>): Transport & { sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  return {
    sent,
    description: "scripted",
    request: async (request) => {
      sent.push(request);
      const key = request.path.endsWith("/wait") ? "wait" : "read";
      return answers[key]!.shift() ?? { status: 500, body: { code: "Empty", message: `no more answers for ${key}` } };
    },
    close: async () => undefined,
  };
}

describe("waiting for a run's final state", () => {
  it("asks the server to hold the answer, and asks again until the run has ended", async () => {
    const transport = scripted({ wait: [{ status: 200, body: run("RUNNING") }, { status: 200, body: run("COMPLETED") }], read: [] });
    const outcome = await waitForFinalState(new BatonClient({ transport }), "0190-run", null, undefined);
    expect(outcome).toEqual({ run: run("COMPLETED") });
    expect(transport.sent.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`)).toEqual([
      'GET /flow_runs/0190-run/wait {"wait_seconds":30}',
      'GET /flow_runs/0190-run/wait {"wait_seconds":30}',
    ]);
  });

  it("reads the run at intervals from a server older than the wait route (404 RouteNotFound)", async () => {
    const transport = scripted({
      wait: [{ status: 404, body: { code: "RouteNotFound", message: "RouteNotFound: no route GET /api/flow_runs/0190-run/wait" } }],
      read: [{ status: 200, body: run("RUNNING") }, { status: 200, body: run("FAILED") }],
    });
    const outcome = await waitForFinalState(new BatonClient({ transport }), "0190-run", null, undefined);
    expect(outcome).toEqual({ run: run("FAILED") });
    expect(transport.sent.map((r) => r.path)).toEqual(["/flow_runs/0190-run/wait", "/flow_runs/0190-run", "/flow_runs/0190-run"]);
  });

  it("gives up at the deadline with the run as it is, and does not mistake a missing run for an old server", async () => {
    // This server answers at once: the client does not ask again in a tight loop meanwhile.
    const waiting = scripted({ wait: Array.from({ length: 50 }, () => ({ status: 200, body: run("RUNNING") })), read: [] });
    const outcome = await waitForFinalState(new BatonClient({ transport: waiting }), "0190-run", Date.now() + 200, undefined);
    expect(outcome).toEqual({ timedOut: run("RUNNING") });
    expect(Number((waiting.sent[0]!.query as { wait_seconds: number }).wait_seconds)).toBeLessThanOrEqual(0.2);
    expect(waiting.sent.length).toBeLessThanOrEqual(3);

    const missing = scripted({ wait: [{ status: 404, body: { code: "FlowRunNotFound", message: "FlowRunNotFound: no flow run 0190-run" } }], read: [] });
    await expect(waitForFinalState(new BatonClient({ transport: missing }), "0190-run", null, undefined)).rejects.toThrow("FlowRunNotFound");
  });
});
