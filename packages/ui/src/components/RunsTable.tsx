import { useState } from "react";
import type { FlowRun } from "../api/types";
import { Link } from "../router/router";
import { formatDuration } from "../lib/time";
import { Time } from "./Copy";
import { StateBadge } from "./StateBadge";

export function runDuration(run: FlowRun, now = Date.now()): string {
  return run.start_time ? formatDuration(durationMs(run, now)) : "–";
}

/** How long a run ran (or has been running); -1 for one that never started, so it sorts last. */
export function durationMs(run: FlowRun, now = Date.now()): number {
  if (!run.start_time) return -1;
  const end = run.end_time ? Date.parse(run.end_time) : now;
  return end - Date.parse(run.start_time);
}

export type DurationOrder = "longest" | "shortest" | null;

/** The runs in the order asked for; runs that never started stay at the end either way. */
export function sortByDuration(runs: readonly FlowRun[], order: DurationOrder, now = Date.now()): FlowRun[] {
  if (!order) return [...runs];
  const started = runs.filter((r) => r.start_time).sort((a, b) => (order === "longest" ? durationMs(b, now) - durationMs(a, now) : durationMs(a, now) - durationMs(b, now)));
  return [...started, ...runs.filter((r) => !r.start_time)];
}

export interface RunSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string, on: boolean) => void;
}

/**
 * Flow runs as a table; `compact` drops the columns a deployment page already says. With
 * `selection`, each row has a checkbox (for bulk actions); with `sortable`, the Duration heading
 * orders the rows shown by how long they ran.
 */
export function RunsTable({ runs, label, compact = false, selection, sortable = false }: { runs: FlowRun[]; label: string; compact?: boolean; selection?: RunSelection; sortable?: boolean }) {
  const [order, setOrder] = useState<DurationOrder>(null);
  if (runs.length === 0) return <p className="muted">No flow runs.</p>;
  const shown = sortByDuration(runs, order);
  const nextOrder: DurationOrder = order === "longest" ? "shortest" : order === "shortest" ? null : "longest";
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
            <th scope="col" aria-sort={order === "longest" ? "descending" : order === "shortest" ? "ascending" : undefined}>
              {sortable ? (
                <button type="button" className="sort" data-order={order ?? "none"} onClick={() => setOrder(nextOrder)} title={nextOrder ? `Order the runs shown by duration, ${nextOrder} first` : "Back to the list's order"}>
                  Duration
                </button>
              ) : (
                "Duration"
              )}
            </th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((run) => (
            <tr key={run.id}>
              <td>
                {selection && (
                  <input
                    type="checkbox"
                    className="select-run"
                    aria-label={`Select ${run.name}`}
                    checked={selection.selected.has(run.id)}
                    onChange={(e) => selection.toggle(run.id, e.target.checked)}
                  />
                )}
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
