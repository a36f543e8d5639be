import type { FlowRun } from "@baton/core";
import type { FastifyRequest } from "fastify";
import type { BatonDatabase } from "../db/open.js";

/** W3C Trace Context, version 00: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`, ids not all zero. */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The request's `traceparent` header when it is a valid one; an invalid one is ignored, as the W3C spec says. */
export function traceparentOf(request: FastifyRequest): string | undefined {
  const header = request.headers.traceparent;
  const value = Array.isArray(header) ? header[0] : header;
  return value && TRACEPARENT.test(value.trim()) ? value.trim() : undefined;
}

/**
 * Keeps the trace context a run's creation carried on the run (issue 15 part 5): the run's process
 * reads it with the run and makes its flow-run span a child of the creator's span, so "deploy,
 * trigger, run" is one trace. A run created again by its idempotency key keeps its first context.
 */
export async function recordTraceparent(database: BatonDatabase, run: FlowRun, traceparent: string | undefined): Promise<FlowRun> {
  if (!traceparent || run.traceparent) return run;
  await database.db.updateTable("flow_runs").set({ traceparent }).where("id", "=", run.id).where("traceparent", "is", null).execute();
  return { ...run, traceparent };
}
