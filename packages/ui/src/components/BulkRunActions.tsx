import { useState } from "react";
import { call } from "../api/client";
import type { FlowRun } from "../api/types";
import { ErrorAlert } from "./ErrorAlert";

type Verb = "cancel" | "retry" | "delete";

const WORDS: Record<Verb, { button: string; done: string; question: (n: number) => string }> = {
  cancel: { button: "Cancel", done: "cancelled", question: (n) => `Cancel ${n} run${n === 1 ? "" : "s"}? Running ones are stopped; scheduled ones will not start.` },
  retry: { button: "Retry", done: "scheduled again", question: (n) => `Retry ${n} run${n === 1 ? "" : "s"} now, with the same parameters?` },
  delete: { button: "Delete", done: "deleted", question: (n) => `Delete ${n} run${n === 1 ? "" : "s"} with their task runs and logs? This cannot be undone.` },
};

async function act(verb: Verb, id: string): Promise<void> {
  if (verb === "cancel") {
    const result = await call("cancelFlowRun", { params: { id } });
    // The orchestration rules may refuse (a run already over): that is this run's failure, not a silent success.
    if (result.status !== "ACCEPT") throw new Error(result.details.reason ?? `the server answered ${result.status}`);
  } else if (verb === "retry") await call("retryFlowRun", { params: { id } });
  else await call("deleteFlowRun", { params: { id } });
}

export interface BulkOutcome {
  verb: Verb;
  done: number;
  failed: { run: FlowRun; message: string }[];
}

/** Acts on each run in turn (a few hundred at most: one page), and says which ones failed and why. */
export async function actOnRuns(verb: Verb, runs: readonly FlowRun[]): Promise<BulkOutcome> {
  const failed: BulkOutcome["failed"] = [];
  for (const run of runs) {
    try {
      await act(verb, run.id);
    } catch (error) {
      failed.push({ run, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { verb, done: runs.length - failed.length, failed };
}

/**
 * Cancel, retry or delete the runs ticked in the table, each after a confirmation naming how many.
 * `all` is the page's runs, for "select all"; `onDone` clears the selection and reloads.
 */
export function BulkRunActions({ all, selected, onSelect, onDone }: { all: readonly FlowRun[]; selected: readonly FlowRun[]; onSelect: (ids: string[]) => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<BulkOutcome>();
  const [error, setError] = useState<Error>();
  const run = (verb: Verb) => {
    if (!window.confirm(WORDS[verb].question(selected.length))) return;
    setBusy(true);
    setError(undefined);
    actOnRuns(verb, selected)
      .then(setOutcome, (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        setBusy(false);
        onDone();
      });
  };
  const allTicked = all.length > 0 && selected.length === all.length;
  return (
    <div className="bulk" aria-label="Bulk actions" role="group">
      <label className="check-inline">
        <input type="checkbox" checked={allTicked} onChange={(e) => onSelect(e.target.checked ? all.map((r) => r.id) : [])} />
        Select all {all.length} on this page
      </label>
      <span className="muted" aria-live="polite">
        {selected.length} selected
      </span>
      {(["cancel", "retry", "delete"] as const).map((verb) => (
        <button key={verb} type="button" className={verb === "delete" ? "danger small" : "secondary small"} disabled={busy || selected.length === 0} onClick={() => run(verb)}>
          {WORDS[verb].button} selected
        </button>
      ))}
      {outcome && (
        <div role="status" className="bulk-outcome">
          <p className={outcome.failed.length === 0 ? "ok" : undefined}>
            {outcome.done} run{outcome.done === 1 ? "" : "s"} {WORDS[outcome.verb].done}
            {outcome.failed.length > 0 ? `; ${outcome.failed.length} not:` : "."}
          </p>
          {outcome.failed.length > 0 && (
            <ul>
              {outcome.failed.map((f) => (
                <li key={f.run.id}>
                  {f.run.name}: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorAlert error={error} />
    </div>
  );
}
