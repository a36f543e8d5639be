import { useState } from "react";
import { api, enc } from "../../api/client";
import type { Deployment, FlowRun } from "../../api/types";
import { navigate } from "../../app/router";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RunForm } from "../../components/RunForm";
import { useAction } from "../../lib/use-action";

const TERMINAL = new Set(["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]);
const RETRYABLE = new Set(["FAILED", "CRASHED", "CANCELLED"]);

/** Cancel, retry, run again: shown only to roles that may run things. */
export function RunActions({ run, deployment, onChanged }: { run: FlowRun; deployment: Deployment | undefined; onChanged: () => void }) {
  const { can } = useSession();
  const { busy, error, run: perform } = useAction();
  const [again, setAgain] = useState(false);
  if (!can("run")) return null;

  const act = (path: string) =>
    perform(async () => {
      await api.post(path);
      onChanged();
    });

  return (
    <div className="run-actions">
      <div className="buttons">
        {!TERMINAL.has(run.state_type) && run.state_type !== "CANCELLING" && (
          <button type="button" className="danger" disabled={busy} onClick={() => void act(`/flow_runs/${enc(run.id)}/cancel`)}>
            Cancel run
          </button>
        )}
        {RETRYABLE.has(run.state_type) && (
          <button type="button" disabled={busy} onClick={() => void act(`/flow_runs/${enc(run.id)}/retry`)}>
            Retry
          </button>
        )}
        {deployment && (
          <button type="button" className="secondary" aria-expanded={again} onClick={() => setAgain(!again)}>
            Run again
          </button>
        )}
      </div>
      <ErrorAlert error={error} />
      {again && deployment && (
        <div className="card">
          <h2>Run again with other parameters</h2>
          <RunForm deployment={deployment} parameters={run.parameters} submitLabel="Start run" onCreated={(created) => navigate(`/runs/${created.id}`)} />
        </div>
      )}
    </div>
  );
}
