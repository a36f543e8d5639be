import { ConflictError, ValidationError, type FlowRun, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { checkParameters } from "../deployments/parameters.js";
import { travel } from "../orchestration/road.js";
import { stateFromCreate } from "../orchestration/states.js";
import { DEFAULT_RESULT_MAX_BYTES, writeStoredResult } from "../results/repository.js";
import { readFlowRunRow, toFlowRun } from "../flow-runs/repository.js";

export class FlowRunNotPaused extends ConflictError {
  override readonly code = "FlowRunNotPaused";
}

/** Where a resume's input is kept for the paused run to read (result storage on the server, under the run). */
export const pauseInputKey = (pausedStateId: string): string => `pause-input-${pausedStateId}`;
/** A suspended run's: by its suspendFlowRun key, which the run's next process looks up (null when it asked for no input). */
export const suspendInputKey = (pauseKey: string): string => `suspend-input-${pauseKey}`;

/**
 * A person resumes a Paused run (pauseFlowRun in its code): the input is checked against the
 * schema its Paused state carries, stored under the run, and the run goes back to Running; the
 * waiting process sees it and returns the input to the flow. A suspended run (suspendFlowRun: no
 * process waits) goes back to Scheduled instead, losing its claim: a worker runs it again, and
 * its new process finds the input under the suspension's key.
 */
export async function resumeFlowRun(database: BatonDatabase, id: string, input: unknown, now: Date): Promise<FlowRun> {
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
    const text = Buffer.from(JSON.stringify(schema ? input : null)).toString("base64");
    if (suspension) await writeStoredResult(road.trx, id, suspendInputKey(suspension), text, DEFAULT_RESULT_MAX_BYTES, now);
    else if (schema) await writeStoredResult(road.trx, id, pauseInputKey(paused.id), text, DEFAULT_RESULT_MAX_BYTES, now);
    const message = schema ? "Resumed with input" : "Resumed";
    const state = suspension
      ? stateFromCreate({ type: "SCHEDULED", name: "Resuming", message: `${message}; a worker runs it again in a new process`, state_details: { scheduled_time: now.toISOString() } }, now)
      : stateFromCreate({ type: "RUNNING", name: "Resumed", message }, now);
    const { columns, result } = await road.one({ row, proposed: state, cause: "set-state" }, now);
    if (!columns) throw new FlowRunNotPaused(`FlowRunNotPaused: flow run ${id} could not be resumed: ${result.details.reason ?? result.status}`);
    return toFlowRun({ ...row, ...columns });
  });
}
