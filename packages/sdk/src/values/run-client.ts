import { currentFlowFrame } from "../context/run-context.js";
import { getClient, type BatonClient } from "../client/index.js";

/**
 * The client flow code reads variables and secrets with: inside a run, the run's own (its run
 * token, masking what it reads); outside one, the process's client from the settings.
 */
export function valuesClient(): Promise<BatonClient> {
  const frame = currentFlowFrame();
  return frame ? Promise.resolve(frame.client) : getClient();
}

/**
 * The HTTP status of an error the API answered, or undefined. By shape, not `instanceof
 * ApiError`: the run's client may come from another copy of this package (the worker's command
 * loads one, the flow file's import another), whose ApiError is another class.
 */
export function apiErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== "ApiError") return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}
