import { call } from "../api/client";
import type { DeploymentSummary } from "../api/types";
import { Link } from "../router/router";
import { useApi } from "../lib/use-api";
import { formatRelative } from "../lib/time";
import { Time } from "./Copy";
import { StateBadge } from "./StateBadge";

type Summaries = { items: DeploymentSummary[] };

/** Next scheduled run and last runs of many deployments in one request (a page of the list). */
export function fetchSummaries(ids: readonly string[], runs = 5): Promise<Summaries> {
  return call("deploymentSummaries", { query: { ids: ids.join(","), runs } });
}

/** When the next scheduled run (the one due first) is due. */
export function NextRunTime({ run }: { run: DeploymentSummary["next_scheduled_run"] | undefined }) {
  if (!run?.expected_start_time) return <span className="muted">–</span>;
  return (
    <span>
      <Time iso={run.expected_start_time} copy={false} /> <span className="muted">({formatRelative(run.expected_start_time)})</span>
      {Date.parse(run.expected_start_time) < Date.now() - 15_000 && <span className="tag warn">Late</span>}
    </span>
  );
}

/** The next scheduled run of one deployment (its page). */
export function NextRun({ deploymentId, refresh }: { deploymentId: string; refresh: number }) {
  const summary = useApi(`${deploymentId}:${refresh}`, () => fetchSummaries([deploymentId], 0));
  return <NextRunTime run={summary.data?.items[0]?.next_scheduled_run} />;
}

/** The last runs that started, newest first, as badges linking to them. */
export function LastRunBadges({ runs }: { runs: DeploymentSummary["last_runs"] | undefined }) {
  if (!runs) return null;
  if (runs.length === 0) return <span className="muted">no runs yet</span>;
  return (
    <span className="badges">
      {runs.map((run) => (
        <Link key={run.id} to={`/runs/${run.id}`} title={run.name} className="badge-link">
          <StateBadge type={run.state_type} name={run.state_name} />
        </Link>
      ))}
    </span>
  );
}
