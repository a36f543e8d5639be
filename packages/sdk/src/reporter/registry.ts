import { tmpdir } from "node:os";
import type { BatonClient } from "../client/index.js";
import { loadSettings } from "../settings/index.js";
import { Reporter } from "./reporter.js";

const byClient = new WeakMap<BatonClient, Reporter>();
const live = new Set<Reporter>();
let spillParent: string | undefined;

/** Events that wait for an unreachable server overflow into this folder (a run's temporary folder). */
export function setReportSpillDirectory(dir: string | undefined): void {
  spillParent = dir;
}

/** One reporter per client, so every flow run of a process shares its batches. */
export function reporterFor(client: BatonClient): Reporter {
  let reporter = byClient.get(client);
  if (!reporter) {
    const outageSeconds = loadSettings().get("BATON_API_OUTAGE_SECONDS") ?? 600;
    reporter = new Reporter(client, { outageMs: outageSeconds * 1000, spillDir: () => spillParent ?? tmpdir() });
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
