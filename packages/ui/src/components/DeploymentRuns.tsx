import { api } from "../api/client";
import type { FlowRun, Page } from "../api/types";
import { Link } from "../app/router";
import { useApi } from "../lib/use-api";
import { formatRelative } from "../lib/time";
import { Time } from "./Copy";
import { StateBadge } from "./StateBadge";

export const STARTED_STATES = "PENDING,RUNNING,COMPLETED,FAILED,CRASHED,CANCELLING,CANCELLED,PAUSED";

/** The next scheduled run of a deployment (scheduled runs are created in time order). */
export function NextRun({ deploymentId, refresh }: { deploymentId: string; refresh: number }) {
  const next = useApi(`${deploymentId}:${refresh}`, () =>
    api.get<Page<FlowRun>>("/flow_runs", { deployment_id: deploymentId, state: "SCHEDULED", sort: "created_asc", limit: 1 }),
  );
  const run = next.data?.items[0];
  if (!run) return <span className="muted">–</span>;
  return (
    <span>
      <Time iso={run.expected_start_time} copy={false} /> <span className="muted">({formatRelative(run.expected_start_time ?? run.created)})</span>
    </span>
  );
}

/** The last runs that started, newest first, as badges linking to them. */
export function LastRuns({ deploymentId, refresh, count = 5 }: { deploymentId: string; refresh: number; count?: number }) {
  const last = useApi(`${deploymentId}:${refresh}`, () => api.get<Page<FlowRun>>("/flow_runs", { deployment_id: deploymentId, state: STARTED_STATES, limit: count }));
  if (!last.data) return null;
  if (last.data.items.length === 0) return <span className="muted">no runs yet</span>;
  return (
    <span className="badges">
      {last.data.items.map((run) => (
        <Link key={run.id} to={`/runs/${run.id}`} title={run.name} className="badge-link">
          <StateBadge type={run.state_type} name={run.state_name} />
        </Link>
      ))}
    </span>
  );
}
