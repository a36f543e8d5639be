import { ConflictError, ValidationError, type FlowRun, type State } from "@baton/core";
import type { FastifyRequest } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { checkParameters } from "../deployments/parameters.js";
import { travel } from "../orchestration/road.js";
import { stateFromCreate } from "../orchestration/states.js";
import { writeStoredResult } from "../results/repository.js";
import { ResumeInputTooLarge } from "./errors.js";
import { readFlowRunRow, toFlowRun } from "../flow-runs/repository.js";

export class FlowRunNotPaused extends ConflictError {
  override readonly code = "FlowRunNotPaused";
}

/** Where a resume's input is kept for the paused run to read (result storage on the server, under the run). */
export const pauseInputKey = (pausedStateId: string): string => `pause-input-${pausedStateId}`;
/** A suspended run's: by its suspendFlowRun key, which the run's next process looks up (null when it asked for no input). */
export const suspendInputKey = (pauseKey: string): string => `suspend-input-${pauseKey}`;

/** Room for the JSON around the input ({"input": ...}). */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The resume route's body may weigh what an input of the limit needs (the app's default of 1 MiB
 * would refuse one long before BATON_SERVER_RESULT_MAX_BYTES); one announced larger is refused from
 * its length, before it is read, naming the setting.
 */
export function resumeBodyLimits(maxBytes: number): { bodyLimit: number; preParsing: (request: FastifyRequest) => Promise<void> } {
  const bodyLimit = maxBytes + ENVELOPE_BYTES;
  return {
    bodyLimit,
    preParsing: async (request) => {
      const length = Number(request.headers["content-length"]);
      if (length > bodyLimit) throw new ResumeInputTooLarge(length, maxBytes, true);
    },
  };
}

/**
 * A person resumes a Paused run (pauseFlowRun in its code): the input is checked against the
 * schema its Paused state carries, stored under the run, and the run goes back to Running; the
 * waiting process sees it and returns the input to the flow. A suspended run (suspendFlowRun: no
 * process waits) goes back to Scheduled instead, losing its claim: a worker runs it again, and
 * its new process finds the input under the suspension's key. The input is a stored result: it
 * may weigh what one may (`maxBytes`, BATON_SERVER_RESULT_MAX_BYTES).
 */
export async function resumeFlowRun(database: BatonDatabase, id: string, input: unknown, now: Date, maxBytes: number): Promise<FlowRun> {
  return travel(database, async (road) => {
    const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
    if (row.state_type !== "PAUSED") {
      throw new FlowRunNotPaused(`FlowRunNotPaused: flow run ${id} (${row.name}) is ${row.state_name}, not Paused; only a run waiting in pauseFlowRun can be resumed`);
    }
    const paused = fromJson<State>(row.state);
    const schema = paused.state_details.input_schema;
    const suspension = paused.state_details.pause_reschedule ? paused.state_details.pause_key : undefined;
    if (schema) {
      if (input === undefined || input === null || typeof input !== "object" || Array.isArray(input)) {
        throw new ValidationError(`ValidationError: body.input: flow run ${row.name} waits for input (a JSON object matching its schema); pass it with --input JSON`, [{ path: "body.input", message: "required: a JSON object" }]);
      }
      checkParameters(schema, input as Record<string, unknown>, "body.input");
    } else if (input !== undefined) {
      throw new ValidationError(`ValidationError: body.input: flow run ${row.name} does not wait for input; resume it without --input`, [{ path: "body.input", message: "not expected" }]);
    }
    const content = Buffer.from(JSON.stringify(schema ? input : null));
    if (content.length > maxBytes) throw new ResumeInputTooLarge(content.length, maxBytes);
    if (suspension) await writeStoredResult(road.trx, id, suspendInputKey(suspension), content, maxBytes, now);
    else if (schema) await writeStoredResult(road.trx, id, pauseInputKey(paused.id), content, maxBytes, now);
    const message = schema ? "Resumed with input" : "Resumed";
    const state = suspension
      ? stateFromCreate({ type: "SCHEDULED", name: "Resuming", message: `${message}; a worker runs it again in a new process`, state_details: { scheduled_time: now.toISOString() } }, now)
      : stateFromCreate({ type: "RUNNING", name: "Resumed", message }, now);
    const { columns, result } = await road.one({ row, proposed: state, cause: "set-state" }, now);
    if (!columns) throw new FlowRunNotPaused(`FlowRunNotPaused: flow run ${id} could not be resumed: ${result.details.reason ?? result.status}`);
    return toFlowRun({ ...row, ...columns });
  });
}
