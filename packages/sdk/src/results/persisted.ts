import { readEntry, writeEntry } from "./store.js";
import { hashInputs, safeFileName } from "./keys.js";
import type { ResultSerializer } from "./serializer.js";
import type { ResultStorage } from "./storage/index.js";

/**
 * Where a task call's persisted result lives: per flow run, by task, call index and inputs.
 * A retried flow run keeps its ID and counts its calls again from 0, so the same call with
 * the same inputs finds the result of the failed attempt and does not run again (on another
 * pod too, with storage every pod sees).
 */
export function persistedResultKey(flowRunId: string, taskName: string, index: number, args: readonly unknown[]): string {
  return `flow-runs/${flowRunId}/${safeFileName(taskName)}-${index}-${hashInputs(args)}`;
}

export async function readPersisted(storage: ResultStorage, key: string, serializer?: ResultSerializer): Promise<{ value: unknown } | undefined> {
  const entry = await readEntry(storage, key, serializer);
  return entry && { value: entry.value };
}

export async function writePersisted(storage: ResultStorage, key: string, value: unknown, serializer?: ResultSerializer): Promise<void> {
  await writeEntry(storage, key, { value, expiresAt: null }, serializer);
}
