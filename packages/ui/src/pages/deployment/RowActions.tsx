import { useState } from "react";
import { call } from "../../api/client";
import type { Deployment, FlowRun } from "../../api/types";
import { Link } from "../../router/router";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAction } from "../../lib/use-action";
import { useSession } from "../../session/session";

/**
 * A deployment row's quick actions: run now with the deployment's defaults (the new run is
 * linked, not opened, so a team can start several from the list), and pause or resume its
 * schedules. Each shows only to a key whose role allows it.
 */
export function DeploymentRowActions({ deployment, onChanged }: { deployment: Deployment; onChanged: () => void }) {
  const { can } = useSession();
  const { busy, error, run } = useAction();
  const [started, setStarted] = useState<FlowRun>();
  const label = `${deployment.flow_name}/${deployment.name}`;
  const quickRun = () =>
    run(async () => {
      setStarted(await call("runDeployment", { params: { id: deployment.id }, body: {} }));
      onChanged();
    });
  const toggle = () =>
    run(async () => {
      await call(deployment.paused ? "resumeDeployment" : "pauseDeployment", { params: { id: deployment.id } });
      onChanged();
    });
  if (!can("run") && !can("deploy")) return null;
  return (
    <div className="row-actions">
      {can("run") && (
        <button type="button" className="secondary small" disabled={busy} aria-label={`Run ${label}`} onClick={() => void quickRun()}>
          Run
        </button>
      )}
      {can("deploy") && (
        <button type="button" className="secondary small" disabled={busy} aria-label={`${deployment.paused ? "Resume" : "Pause"} ${label}`} onClick={() => void toggle()}>
          {deployment.paused ? "Resume" : "Pause"}
        </button>
      )}
      {started && (
        <p role="status">
          Started <Link to={`/runs/${started.id}`}>{started.name}</Link>
        </p>
      )}
      <ErrorAlert error={error} />
    </div>
  );
}
