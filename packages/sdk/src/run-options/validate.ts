import { areValidTags } from "@baton/core/runtime";

/** What flows and tasks both take: how often to retry, how long to run, which tags. */
export interface CommonRunOptions {
  retries?: number;
  timeoutSeconds?: number;
  tags?: readonly string[];
}

/** Checks the options flow() and task() share; `where` names the flow or task in the message. */
export function validateCommonRunOptions(where: string, o: CommonRunOptions): void {
  if (o.retries !== undefined && (!Number.isInteger(o.retries) || o.retries < 0)) {
    throw new TypeError(`${where}: retries must be a whole number >= 0, got ${String(o.retries)}`);
  }
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds > 0)) {
    throw new TypeError(`${where}: timeoutSeconds must be a number > 0, got ${String(o.timeoutSeconds)}`);
  }
  if (o.tags !== undefined && !areValidTags(o.tags)) {
    throw new TypeError(`${where}: tags must be a list of at most 64 non-empty strings of at most 128 characters`);
  }
}

/** A delay before a retry must be seconds >= 0. */
export const isBadDelay = (n: unknown): boolean => typeof n !== "number" || !(n >= 0);
