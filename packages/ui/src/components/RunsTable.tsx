import type { FlowRun } from "../api/types";
import { Link } from "../router/router";
import { formatDuration } from "../lib/time";
import { Time } from "./Copy";
import { StateBadge } from "./StateBadge";

export function runDuration(run: FlowRun, now = Date.now()): string {
  if (!run.start_time) return "–";
  const end = run.end_time ? Date.parse(run.end_time) : now;
  return formatDuration(end - Date.parse(run.start_time));
}

/** Flow runs as a table; `compact` drops the columns a deployment page already says. */
export function RunsTable({ runs, label, compact = false }: { runs: FlowRun[]; label: string; compact?: boolean }) {
  if (runs.length === 0) return <p className="muted">No flow runs.</p>;
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">State</th>
            {!compact && <th scope="col">Flow / deployment</th>}
            {!compact && <th scope="col">Work pool</th>}
            <th scope="col">Start</th>
            <th scope="col">Duration</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                <Link to={`/runs/${run.id}`}>{run.name}</Link>
              </td>
              <td>
                <StateBadge type={run.state_type} name={run.state_name} />
              </td>
              {!compact && (
                <td>
                  {run.flow_name}
                  {run.deployment_id && run.deployment_name ? (
                    <>
                      {" / "}
                      <Link to={`/deployments/${run.deployment_id}`}>{run.deployment_name}</Link>
                    </>
                  ) : null}
                </td>
              )}
              {!compact && <td>{run.work_pool_name ? <Link to={`/work-pools/${encodeURIComponent(run.work_pool_name)}`}>{run.work_pool_name}</Link> : <span className="muted">–</span>}</td>}
              <td>
                <Time iso={run.start_time ?? run.expected_start_time} copy={false} />
              </td>
              <td className="num">{runDuration(run)}</td>
              <td>
                {run.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
