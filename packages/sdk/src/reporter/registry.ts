import type { BatonClient } from "../client/index.js";
import { Reporter } from "./reporter.js";

const byClient = new WeakMap<BatonClient, Reporter>();
const live = new Set<Reporter>();

/** One reporter per client, so every flow run of a process shares its batches. */
export function reporterFor(client: BatonClient): Reporter {
  let reporter = byClient.get(client);
  if (!reporter) {
    reporter = new Reporter(client);
    byClient.set(client, reporter);
    live.add(reporter);
  }
  return reporter;
}

export async function flushAllReporters(): Promise<void> {
  await Promise.all([...live].map((r) => r.flush()));
}

export function hasPendingReports(): boolean {
  for (const r of live) if (r.pending > 0) return true;
  return false;
}
