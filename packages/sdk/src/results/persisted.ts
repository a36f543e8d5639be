import { join } from "node:path";
import { readResult, writeResult } from "./store.js";
import { hashInputs, safeFileName } from "./keys.js";

/**
 * Where a task call's persisted result lives: per flow run, by task, call index and inputs.
 * A retried flow run keeps its ID and counts its calls again from 0, so the same call with
 * the same inputs finds the result of the failed attempt and does not run again.
 */
export function persistedResultPath(resultsDir: string, flowRunId: string, taskName: string, index: number, args: readonly unknown[]): string {
  return join(resultsDir, "flow-runs", flowRunId, `${safeFileName(taskName)}-${index}-${hashInputs(args)}.bin`);
}

export async function readPersisted(path: string): Promise<{ value: unknown } | undefined> {
  return readResult(path);
}

export async function writePersisted(path: string, value: unknown): Promise<void> {
  await writeResult(path, { value, expiresAt: null });
}
