import { isTerminal } from "@baton/core";
import { useState } from "react";
import { call } from "../../api/client";
import type { Deployment, FlowRun } from "../../api/types";
import { navigate } from "../../router/router";
import { useSession } from "../../session/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RunForm } from "../../components/RunForm";
import { useAction } from "../../lib/use-action";
import { ResumeForm } from "./ResumeForm";

const RETRYABLE = new Set(["FAILED", "CRASHED", "CANCELLED"]);

/** Cancel, retry, resume, run again: shown only to roles that may run things. */
export function RunActions({ run, deployment, onChanged }: { run: FlowRun; deployment: Deployment | undefined; onChanged: () => void }) {
  const { can } = useSession();
  const { busy, error, run: perform } = useAction();
  const [again, setAgain] = useState(false);
  // Cancelling stops work that may not be resumable: it takes a second, deliberate click.
  const [confirmCancel, setConfirmCancel] = useState(false);
  if (!can("run")) return null;

  const act = (route: "retryFlowRun" | "cancelFlowRun") =>
    perform(async () => {
      await call(route, { params: { id: run.id } });
      onChanged();
    });

  return (
    <div className="run-actions">
      <div className="buttons">
        {!isTerminal(run.state_type) && run.state_type !== "CANCELLING" && (
          <button type="button" className="danger" disabled={busy || confirmCancel} onClick={() => setConfirmCancel(true)}>
            Cancel run
          </button>
        )}
        {RETRYABLE.has(run.state_type) && (
          <button type="button" disabled={busy} onClick={() => void act("retryFlowRun")}>
            Retry
          </button>
        )}
        {deployment && (
          <button type="button" className="secondary" aria-expanded={again} onClick={() => setAgain(!again)}>
            Run again
          </button>
        )}
      </div>
      {confirmCancel && !isTerminal(run.state_type) && run.state_type !== "CANCELLING" && (
        <div className="why" role="alertdialog" aria-labelledby="cancel-title">
          <p id="cancel-title">
            Cancel <strong>{run.name}</strong>? {run.state_type === "RUNNING" ? "Its process is stopped; work in progress is lost." : "It will not start."}
          </p>
          <div className="buttons">
            <button type="button" className="danger" disabled={busy} autoFocus onClick={() => void act("cancelFlowRun").then(() => setConfirmCancel(false))}>
              Yes, cancel the run
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmCancel(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      <ErrorAlert error={error} />
      {run.state_type === "PAUSED" && <ResumeForm key={run.state.id} run={run} onResumed={onChanged} />}
      {again && deployment && (
        <div className="card">
          <h2>Run again with other parameters</h2>
          <RunForm deployment={deployment} parameters={run.parameters} submitLabel="Start run" onCreated={(created) => navigate(`/runs/${created.id}`)} />
        </div>
      )}
    </div>
  );
}
